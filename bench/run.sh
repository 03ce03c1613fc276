#!/usr/bin/env bash
# Runs one benchmark: bench/run.sh NAME [ARGS...]. Builds what it needs first. Results print as text; copy them
# to docs/benchmarks.md with the date and machine. Names: logs, normalise, bucketchat, bucketchat-million, sensor-corpus,
# sensor-shipping, registry, spam, telegram, console, assistant. The sensor's network benchmarks are bench/sensor.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib/java-home.sh
source "$root/scripts/lib/java-home.sh"
rb_find_java_home || exit 1
name=${1:?usage: bench/run.sh NAME [ARGS...] (logs | normalise | bucketchat | bucketchat-million | sensor-corpus | sensor-shipping | registry | spam | telegram | console | assistant)}
shift
cd "$root"
./mvnw -B -q -pl bench -am install -DskipTests -Dspotless.check.skip=true >/dev/null
cp_file=bench/target/classpath.txt
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$root/$cp_file" >/dev/null
cp="bench/target/classes:$(cat "$cp_file")"
java="$RUSTBUCKET_JAVA_HOME/bin/java"
case "$name" in
  # On OpenSearch the platform runs in a JVM of its own, with the launcher's options unless SERVER_JAVA_OPTS says.
  logs) LOGS_SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-$RUSTBUCKET_PLATFORM_JAVA_OPTS} \
    exec "$java" -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "$cp" io.rustbucket.bench.LogsBench "$@" ;;
  bucketchat) exec "$java" -Xmx2g -cp "$cp" io.rustbucket.bench.BucketChatBench "$@" ;;
  # The 1,000,000-event room is verified in a JVM capped at 512 MB of heap, as the goal states.
  bucketchat-million)
    "$java" -Xmx2g -cp "$cp" io.rustbucket.bench.MillionRoom generate "$@"
    exec "$java" -Xmx512m -XX:+UseSerialGC -cp "$cp" io.rustbucket.bench.MillionRoom verify "$@" ;;
  # Per-event CPU of the log platform's normaliser (parse vs parse + normalise), in one thread.
  normalise) exec "$java" ${BENCH_JAVA_OPTS:-$RUSTBUCKET_PLATFORM_JAVA_OPTS} -cp "$cp" io.rustbucket.bench.NormaliseBench "$@" ;;
  sensor-corpus) exec "$java" -cp "$cp" io.rustbucket.bench.SensorCorpus "$@" ;;
  # 1,000,000 events shipped with a kill -9 in the middle and a restart: none lost, none duplicated.
  sensor-shipping)
    n=${1:-1000000} dir=$(mktemp -d)
    "$java" -Xmx512m -cp "$cp" io.rustbucket.bench.ShippingCrash run "$dir" "$n" &
    pid=$!
    sleep "${KILL_AFTER:-4}"
    kill -9 "$pid" && echo "killed -9 after ${KILL_AFTER:-4} s" || echo "finished before the kill"
    wait "$pid" 2>/dev/null || true
    "$java" -Xmx512m -cp "$cp" io.rustbucket.bench.ShippingCrash run "$dir" "$n"
    "$java" -Xmx512m -cp "$cp" io.rustbucket.bench.ShippingCrash verify "$dir" "$n"
    status=$?
    rm -rf "$dir"
    exit $status ;;
  # 1,000 sensors polled and 100 x 10 MB of logs pulled in a JVM capped at 512 MB of heap, as the goal states.
  # Telegram update -> action latency through the group bot (a Bot API double on loopback, no model).
  telegram) exec "$java" -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$cp" io.rustbucket.bench.TelegramBotBench "$@" ;;
  # 500 SSE subscribers on one conversation; a 10,000-message thread paged. The JVM runs as the launcher runs
  # it (its GC sets the latency tail) unless BENCH_JAVA_OPTS says otherwise.
  assistant)
    gcc -O2 -Wall -o bench/target/sseclients bench/assistant/sseclients.c
    exec "$java" ${BENCH_JAVA_OPTS:-$RUSTBUCKET_PLATFORM_JAVA_OPTS} -cp "$cp" io.rustbucket.bench.AssistantBench "$@" ;;
  # Console pages over 1,000,000 parsed events (SQL) and 1,000,000 indexed events (Lucene).
  console) exec "$java" -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "$cp" io.rustbucket.bench.ConsoleBench "$@" ;;
  registry) exec "$java" -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "$cp" io.rustbucket.bench.RegistryBench "$@" ;;
  spam) exec "$java" -Xmx1g -XX:ActiveProcessorCount=1 ${BENCH_JAVA_OPTS:-} -cp "$cp" io.rustbucket.bench.SpamBench "$@" ;;
  *) echo "unknown benchmark $name" >&2; exit 2 ;;
esac
