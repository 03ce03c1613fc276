#!/usr/bin/env bash
# Runs one benchmark: bench/run.sh NAME [ARGS...]. Builds what it needs first. Results print as text; copy them
# to docs/benchmarks.md with the date and machine. Names: logs, bucketchat, bucketchat-million.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib/java-home.sh
source "$root/scripts/lib/java-home.sh"
rb_find_java_home || exit 1
name=${1:?usage: bench/run.sh NAME [ARGS...] (logs | bucketchat | bucketchat-million)}
shift
cd "$root"
./mvnw -B -q -pl bench -am install -DskipTests -Dspotless.check.skip=true >/dev/null
cp_file=bench/target/classpath.txt
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$root/$cp_file" >/dev/null
cp="bench/target/classes:$(cat "$cp_file")"
java="$RUSTBUCKET_JAVA_HOME/bin/java"
case "$name" in
  logs) exec "$java" -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "$cp" io.rustbucket.bench.LogsBench "$@" ;;
  bucketchat) exec "$java" -Xmx2g -cp "$cp" io.rustbucket.bench.BucketChatBench "$@" ;;
  # The 1,000,000-event room is verified in a JVM capped at 512 MB of heap, as the goal states.
  bucketchat-million)
    "$java" -Xmx2g -cp "$cp" io.rustbucket.bench.MillionRoom generate "$@"
    exec "$java" -Xmx512m -XX:+UseSerialGC -cp "$cp" io.rustbucket.bench.MillionRoom verify "$@" ;;
  *) echo "unknown benchmark $name" >&2; exit 2 ;;
esac
