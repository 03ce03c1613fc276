#!/usr/bin/env bash
# A single-node OpenSearch on 127.0.0.1 for the tests: the integ-test-zip distribution from Maven Central,
# checked against its SHA-1, run as the non-root user "opensearch" (OpenSearch refuses root; the user is created
# when this runs as root). `start` prints the URL (and reuses a node already up); `stop` stops it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/java-home.sh
source "$root/scripts/lib/java-home.sh"
version=${OPENSEARCH_VERSION:-3.6.0}
port=${OPENSEARCH_PORT:-19200}
home=${RUSTBUCKET_OPENSEARCH_HOME:-/var/tmp/rustbucket-opensearch}
dist="$home/opensearch-$version"
url="http://127.0.0.1:$port"
user=opensearch

up() { curl -fsS "$url/_cluster/health" >/dev/null 2>&1; }

case "${1:-start}" in
  stop)
    if [ -f "$dist/opensearch.pid" ]; then kill "$(cat "$dist/opensearch.pid")" 2>/dev/null || true; fi
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

if up; then echo "$url"; exit 0; fi
rb_find_java_home >&2
mkdir -p "$home"
if [ ! -x "$dist/bin/opensearch" ]; then
  base="https://repo.maven.apache.org/maven2/org/opensearch/distribution/integ-test-zip/opensearch/$version"
  zip="$home/opensearch-$version.zip"
  if [ ! -f "$zip" ]; then
    echo "opensearch: downloading $version from Maven Central" >&2
    curl -fsSL --retry 3 -o "$zip.part" "$base/opensearch-$version.zip"
    expected=$(curl -fsSL "$base/opensearch-$version.zip.sha1" | cut -c1-40)
    actual=$(sha1sum "$zip.part" | cut -c1-40)
    if [ "$expected" != "$actual" ]; then echo "opensearch: checksum mismatch" >&2; rm -f "$zip.part"; exit 1; fi
    mv "$zip.part" "$zip"
  fi
  rm -rf "$dist.tmp" && mkdir -p "$dist.tmp"
  (cd "$dist.tmp" && unzip -q "$zip")
  mv "$dist.tmp/opensearch-$version" "$dist" && rm -rf "$dist.tmp"
  cat >> "$dist/config/opensearch.yml" <<YML
cluster.name: rustbucket-test
node.name: node-1
network.host: 127.0.0.1
http.port: $port
transport.port: $((port + 100))
discovery.type: single-node
YML
fi
run=()
if [ "$(id -u)" = 0 ]; then
  id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
  chown -R "$user" "$dist"
  run=(runuser -u "$user" --)
fi
echo "opensearch: starting $version on $url" >&2
# In the background with its own session (its -d daemon mode exits at once on this JDK); output to a log file.
setsid "${run[@]}" env OPENSEARCH_JAVA_HOME="$RUSTBUCKET_JAVA_HOME" OPENSEARCH_JAVA_OPTS="-Xms512m -Xmx512m" \
  "$dist/bin/opensearch" -p "$dist/opensearch.pid" >"$home/opensearch-$version.out" 2>&1 < /dev/null &
for _ in $(seq 1 180); do
  if curl -fsS "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then echo "$url"; exit 0; fi
  if ! kill -0 $! 2>/dev/null; then echo "opensearch: exited; last lines of $home/opensearch-$version.out:" >&2; tail -20 "$home/opensearch-$version.out" >&2; exit 1; fi
  sleep 1
done
echo "opensearch: not healthy after 180 s; see $dist/logs" >&2
exit 1
