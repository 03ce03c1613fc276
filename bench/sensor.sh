#!/usr/bin/env bash
# Sensor benchmarks (issue #9): connect rate per listener against a bare Java banner server (same run, ratio),
# serial Telnet login-prompt latency, 10,000 idle connections (RSS growth per connection, banner p99 under that
# load) and idle RSS. Load comes from bench/sensor/loadgen.c (single-threaded epoll). The sensor's CPU share is
# printed beside every figure. Usage: bench/sensor.sh [SECONDS=20] [RUNS=3] [PAUSE_SECS=5]
# (HOLD_ONLY=1: the memory figures alone; RATES_ONLY=1: the connection rates alone; SERVICES="telnet http")
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/java-home.sh"
rb_find_java_home || exit 1
secs=${1:-20} runs=${2:-3} pause=${3:-5} workers=${BENCH_WORKERS:-50}
cd "$root"
mkdir -p bench/target
gcc -O2 -Wall -o bench/target/loadgen bench/sensor/loadgen.c
lg=bench/target/loadgen
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
./mvnw -B -q -pl bench -am install -DskipTests -Dspotless.check.skip=true >/dev/null
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$root/bench/target/classpath.txt" >/dev/null
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java="$RUSTBUCKET_JAVA_HOME/bin/java"
./rustbucket --help >/dev/null # builds the launcher's jar when stale

data=$(mktemp -d)
b=43000
cat >"$data/Config.toml" <<TOML
[general]
data_directory = "$data/sensor"
bind = "127.0.0.1"
queue_capacity = 262144
[ports]
ftp    = { port = $((b + 21)) }
telnet = { port = $((b + 23)) }
smtp   = { port = $((b + 25)) }
http   = { port = $((b + 80)) }
ssh    = { port = $((b + 22)) }
[management]
port = $((b + 443))
[limits]
max_connections = 30000
per_ip_connections = 30000
TOML
# the JVM tuned for a small cloud machine: serial GC, small heap, lazy code cache
export RUSTBUCKET_JAVA_OPTS=${SENSOR_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx256m -XX:MaxMetaspaceSize=96m -Xss512k -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30}
./rustbucket sensor --config "$data/Config.toml" >"$data/sensor.out" 2>&1 &
launcher=$!
"$java" -Xmx256m -cp "$cp" io.rustbucket.bench.BannerServer $((b + 99)) "220 (vsFTPd 3.0.3)" >/dev/null 2>&1 &
baseline=$!
# Telnet's bare form: telnetd's terminal questions, the client's answer, then the prompt
"$java" -Xmx256m -cp "$cp" io.rustbucket.bench.BannerServer $((b + 98)) "login: " fffd18fffd20fffd23fffd27 \
  >/dev/null 2>&1 &
baseline2=$!
trap 'kill $launcher $baseline $baseline2 2>/dev/null; sleep 1; kill -9 $launcher $baseline $baseline2 2>/dev/null
  rm -rf "$data"' EXIT
for _ in $(seq 1 300); do grep -q "is ready" "$data/sensor.out" && break; sleep 0.1; done
grep -q "is ready" "$data/sensor.out" || { cat "$data/sensor.out"; exit 1; }
pid=$(pgrep -P $launcher java || echo $launcher)
sleep 3
rss() { awk '/VmRSS/ {print $2}' /proc/$1/status; }
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
hz=$(getconf CLK_TCK)
echo "idle sensor RSS: $(rss $pid) kB (JVM options: $RUSTBUCKET_JAVA_OPTS)"

if [ -z "${RATES_ONLY:-}" ]; then
# memory first, on the fresh sensor: 10,000 idle connections. RSS is read after a full GC each time, so it is
# the memory the connections keep, not garbage the collector has not reached yet.
settle() { "$RUSTBUCKET_JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null 2>&1 || true; sleep 1; }
settle $pid
before=$(rss $pid)
$lg hold 127.0.0.1 $((b + 21)) 10000 25 >"$data/hold.txt" &
holder=$!
for _ in $(seq 1 200); do grep -q opened "$data/hold.txt" && break; sleep 0.2; done
sleep 5
settle $pid
during=$(rss $pid)
echo "10,000 idle FTP connections: $(head -1 "$data/hold.txt"); RSS $before kB -> $during kB:" \
  "$(( (during - before) * 1024 / 10000 )) bytes per connection"
echo "banner latency under that load (FTP):"
$lg serial 127.0.0.1 $((b + 21)) 1000 "220 ("
wait $holder
tail -1 "$data/hold.txt"
sleep 10 # the held connections are closed by the pre-auth timeout
[ -n "${HOLD_ONLY:-}" ] && exit 0
fi

# one measured run: prints "per_sec cpu%"
measure() { # pid port marker [reply]
  local p=$1 port=$2 marker=$3 reply=${4:-}
  local t0; t0=$(ticks "$p")
  local line; line=$($lg rate 127.0.0.1 "$port" "$secs" "$workers" "$marker" ${reply:+"$reply"})
  local t1; t1=$(ticks "$p")
  echo "$(sed 's/.*per_sec=//' <<<"$line") $(( (t1 - t0) * 100 / hz / secs ))"
}
printf '\n%-9s %-4s %12s %8s %12s %8s %7s\n' service run sensor/s cpu% baseline/s cpu% ratio
declare -A marker=([ftp]="220 (" [telnet]="login: " [smtp]="220 " [http]="HTTP/1.1 200" [ssh]="SSH-2.0-")
declare -A reply=([telnet]='\xff\xfc\x18' [http]='>GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
declare -A port=([ftp]=$((b + 21)) [telnet]=$((b + 23)) [smtp]=$((b + 25)) [http]=$((b + 80)) [ssh]=$((b + 22)))
port[telnet-rt]=${port[telnet]} marker[telnet-rt]=${marker[telnet]} reply[telnet-rt]=${reply[telnet]}
port[telnet-banner]=${port[telnet]} marker[telnet-banner]='\xff\xfd\x18'
# telnet: login prompt against the banner server; telnet-rt: against the bare server that makes the same round
# trip; telnet-banner: Telnet's first bytes (telnetd's terminal questions, what nmap identifies) against the banner
for svc in ${SERVICES:-ftp telnet telnet-rt telnet-banner smtp http ssh}; do
  # warm-up, not measured: both JVMs compile their connection paths before the first run
  $lg rate 127.0.0.1 "${port[$svc]}" 5 "$workers" "${marker[$svc]}" ${reply[$svc]:+"${reply[$svc]}"} >/dev/null
  $lg rate 127.0.0.1 $((b + 98)) 3 "$workers" "login: " "${reply[telnet]}" >/dev/null
  $lg rate 127.0.0.1 $((b + 99)) 3 "$workers" "220 (" >/dev/null
  sleep "$pause"
  for run in $(seq 1 "$runs"); do
    read -r s_rate s_cpu < <(measure "$pid" "${port[$svc]}" "${marker[$svc]}" "${reply[$svc]:-}")
    sleep "$pause"
    if [ "$svc" = telnet-rt ]; then
      read -r b_rate b_cpu < <(measure "$baseline2" $((b + 98)) "login: " "${reply[telnet]}")
    else
      read -r b_rate b_cpu < <(measure "$baseline" $((b + 99)) "220 (")
    fi
    printf '%-9s %-4s %12s %8s %12s %8s %7s\n' "$svc" "$run" "$s_rate" "$s_cpu" "$b_rate" "$b_cpu" \
      "$(awk -v a="$s_rate" -v c="$b_rate" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }')"
    sleep "$pause"
  done
done

echo
echo "serial connect -> Telnet login prompt:"
$lg serial 127.0.0.1 $((b + 23)) 2000 "login: " '\xff\xfc\x18'

