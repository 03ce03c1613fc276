#!/usr/bin/env bash
# Drives ./rustbucket sensor on loopback with real clients (specs/sensor.md, issue #9): lftp (listing + download),
# swaks (SMTP delivery with AUTH), curl (HTTP probes), ssh (password login + three commands), a Telnet login with
# three commands, and nmap -sV, whose product for each port must be the one the banner claims.
# Installs the clients from Debian's packages when they are missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
need=()
for tool in lftp:lftp swaks:swaks nmap:nmap sshpass:sshpass ssh:openssh-client curl:curl; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "smoke-sensor: installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q "${need[@]}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
  else sudo apt-get install -y -q "${need[@]}" >/dev/null; fi
fi

data=$(mktemp -d)
out=$(mktemp)
base=${SMOKE_SENSOR_BASE:-42000}
ftp=$((base + 21)) telnet=$((base + 23)) smtp=$((base + 25)) http=$((base + 80)) ssh=$((base + 22)) mgmt=$((base + 443))
cat >"$data/Config.toml" <<TOML
[general]
data_directory = "$data/sensor"
bind = "127.0.0.1"
upload_interval_secs = 2

[ports]
ftp    = { enabled = true, port = $ftp, banner = "220 (vsFTPd 3.0.3)" }
telnet = { enabled = true, port = $telnet }
smtp   = { enabled = true, port = $smtp, banner = "220 mail.example.com ESMTP Postfix (Ubuntu)" }
http   = { enabled = true, port = $http }
ssh    = { enabled = true, port = $ssh, version = "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10" }

[management]
port = $mgmt

[aws]
app_id = "smoke-1"
TOML
trap 'kill "$pid" 2>/dev/null || true; sleep 1; kill -9 "$pid" 2>/dev/null || true; rm -rf "$data" "$out"' EXIT

"$root/rustbucket" sensor --config "$data/Config.toml" >"$out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "is ready" "$out" && break
  kill -0 "$pid" 2>/dev/null || { echo "smoke-sensor: sensor exited early:"; cat "$out"; exit 1; }
  sleep 0.1
done
grep -q "is ready" "$out" || { echo "smoke-sensor: not ready within 60 s"; cat "$out"; exit 1; }
fail() { echo "smoke-sensor: $*"; echo "--- sensor output"; tail -50 "$out"; exit 1; }

# FTP: login, listing, download
lftp -u root,toor -e "set ftp:ssl-allow no; set net:max-retries 1; set net:timeout 10; cd /etc; ls; get passwd -o $data/passwd; bye" \
  "ftp://127.0.0.1:$ftp" >"$data/ftp.txt" 2>&1 || fail "lftp failed: $(cat "$data/ftp.txt")"
grep -q hostname "$data/ftp.txt" || fail "lftp listing lacks /etc/hostname"
grep -q '^root:x:0:0' "$data/passwd" || fail "lftp download of /etc/passwd failed"
echo "smoke-sensor: ftp ok (listing, download)"

# SMTP: a delivery with AUTH LOGIN (credentials captured, refused as Postfix does) and one without
swaks --server 127.0.0.1 --port "$smtp" --from spam@example.net --to victim@example.com \
  --auth LOGIN --auth-user admin --auth-password hunter2 --timeout 10 >"$data/smtp-auth.txt" 2>&1 || true
grep -q '535' "$data/smtp-auth.txt" || fail "swaks AUTH was not answered 535: $(tail -5 "$data/smtp-auth.txt")"
swaks --server 127.0.0.1 --port "$smtp" --from spam@example.net --to victim@example.com --timeout 10 \
  --body "buy now" >"$data/smtp.txt" 2>&1 || fail "swaks delivery failed: $(tail -5 "$data/smtp.txt")"
grep -q '250 2.0.0 Ok: queued' "$data/smtp.txt" || fail "swaks delivery not queued"
echo "smoke-sensor: smtp ok (AUTH captured, message queued)"

# HTTP probes
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/" | grep -q 200 || fail "GET / not 200"
curl -sI "http://127.0.0.1:$http/" | grep -qi '^server: nginx/1.18.0 (Ubuntu)' || fail "no nginx Server header"
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/.env" | grep -q 403 || fail "/.env not 403"
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/update_bucket" | grep -q 404 || fail "/update_bucket without key not 404"
curl -s "http://127.0.0.1:$http/wp-login.php" -d 'log=admin&pwd=letmein' | grep -q 'incorrect' || fail "wp-login not answered"
echo "smoke-sensor: http ok (/, /.env, /wp-login.php, management path hidden)"

# SSH: password login, three commands
sshpass -p toor ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
  -o PreferredAuthentications=password -o PubkeyAuthentication=no -p "$ssh" root@127.0.0.1 \
  'uname -a; id; cat /etc/hostname' >"$data/ssh.txt" 2>&1 || fail "ssh failed: $(cat "$data/ssh.txt")"
grep -q 'GNU/Linux' "$data/ssh.txt" && grep -q 'uid=0(root)' "$data/ssh.txt" || fail "ssh commands not answered: $(cat "$data/ssh.txt")"
echo "smoke-sensor: ssh ok (password login, three commands)"

# Telnet: login and three commands over a raw connection (IAC negotiation is the server's to send)
exec 3<>"/dev/tcp/127.0.0.1/$telnet"
{ sleep 0.5; printf 'root\r\n'; sleep 0.3; printf 'admin\r\n'; sleep 0.5; printf 'whoami\r\n'; sleep 0.2
  printf 'uname -m\r\n'; sleep 0.2; printf 'busybox ECCHI\r\n'; sleep 0.2; printf 'exit\r\n'; } >&3
timeout 10 cat <&3 >"$data/telnet.txt" || true
exec 3<&-
grep -aq 'login:' "$data/telnet.txt" && grep -aq 'x86_64' "$data/telnet.txt" && grep -aq 'ECCHI: applet not found' "$data/telnet.txt" \
  || fail "telnet session not answered: $(tr -d '\000-\010\016-\037\177-\377' <"$data/telnet.txt" | tail -5)"
echo "smoke-sensor: telnet ok (login, three commands)"

# Management API: 401 without key, cursor paging with key
key=$(cat "$data/sensor/management-key")
code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$mgmt/update_bucket")
[ "$code" = 401 ] || fail "management without key answered $code"
curl -sk -H "Authorization: Token $key" "https://127.0.0.1:$mgmt/update_bucket" | grep -q '"status":"ok"' || fail "update_bucket"
curl -sk -D "$data/h.txt" -H "Authorization: Bearer $key" "https://127.0.0.1:$mgmt/extract_logs" >"$data/logs.txt"
grep -qi '^x-log-cursor:' "$data/h.txt" && grep -q '"login.attempt"' "$data/logs.txt" || fail "extract_logs"
echo "smoke-sensor: management ok ($(wc -l <"$data/logs.txt") log lines pulled)"

# nmap -sV must name each banner's product
nmap -sV -Pn -n --version-light -p "$ftp,$telnet,$smtp,$http,$ssh" 127.0.0.1 >"$data/nmap.txt" 2>&1 || fail "nmap failed"
grep -q "^$telnet/tcp open  telnet  *Linux telnetd" "$data/nmap.txt" || fail "nmap did not identify Linux telnetd: $(grep open "$data/nmap.txt")"
for product in "vsftpd" "Postfix smtpd" "nginx" "OpenSSH"; do
  grep -qi "$product" "$data/nmap.txt" || fail "nmap did not identify $product: $(grep open "$data/nmap.txt")"
done
echo "smoke-sensor: nmap -sV identifies $(grep -c ' open ' "$data/nmap.txt") services as claimed:"
grep ' open ' "$data/nmap.txt" | sed 's/^/  /'

# shipping: a batch reaches the bucket within a few intervals
for _ in $(seq 1 50); do
  find "$data/sensor/bucket" -name '*.jsonl.gz' 2>/dev/null | grep -q . && break
  sleep 0.2
done
find "$data/sensor/bucket" -name '*.jsonl.gz' | grep -q . || fail "no batch shipped to the bucket"
echo "smoke-sensor: shipping ok ($(find "$data/sensor/bucket" -name '*.jsonl.gz' | wc -l) batches)"
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "sensor still running 10 s after SIGTERM"
echo "smoke-sensor: all clients answered"
