#!/usr/bin/env bash
# Smoke test of the README's first command: ./rustbucket up on a fresh data directory must print
# "Rustbucket is ready", answer /readyz, and stop within 10 s of SIGTERM. Prints the figures it measured.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=$(mktemp -d)
out=$(mktemp)
port=${SMOKE_PORT:-19080}
trap 'kill -9 "$pid" 2>/dev/null || true; rm -rf "$data" "$out"' EXIT

start_ns=$(date +%s%N)
"$root/rustbucket" up --data "$data" --port "$port" >"$out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "Rustbucket is ready" "$out" && break
  kill -0 "$pid" 2>/dev/null || { echo "smoke: rustbucket up exited early:"; cat "$out"; exit 1; }
  sleep 0.1
done
grep -q "Rustbucket is ready" "$out" || { echo "smoke: not ready within 60 s"; cat "$out"; exit 1; }
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
curl -fsS "http://127.0.0.1:$port/readyz" | grep -q '"ready":true' || { echo "smoke: /readyz not ready"; exit 1; }
[ -s "$data/initial-admin-password" ] || { echo "smoke: no initial-admin-password"; exit 1; }
[ "$(stat -c %a "$data/initial-admin-password")" = 600 ] || { echo "smoke: password file not 0600"; exit 1; }
java_pid=$(pgrep -P "$pid" java || echo "$pid")
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status" 2>/dev/null || echo "?")

stop_ns=$(date +%s%N)
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then echo "smoke: still running 10 s after SIGTERM"; exit 1; fi
stop_ms=$(( ($(date +%s%N) - stop_ns) / 1000000 ))
grep -q "Rustbucket stopped" "$out" || { echo "smoke: no graceful stop"; cat "$out"; exit 1; }
echo "smoke: up ready in ${ready_ms} ms (launcher included), RSS ${rss_kb} kB, stopped in ${stop_ms} ms"

# The launcher must work from any directory, including when it has to rebuild (a stale jar).
touch "$root/app/src/main/java/io/rustbucket/app/Main.java"
(cd / && "$root/rustbucket" --help >"$out" 2>&1) || { echo "smoke: ./rustbucket from / failed:"; cat "$out"; exit 1; }
grep -q "Commands:" "$out" || { echo "smoke: no usage from ./rustbucket --help"; cat "$out"; exit 1; }
echo "smoke: launcher rebuilt and ran from /"
