# Sourced by ./rustbucket, ./mvnw and .ci/run: one place that decides which JDK the project uses, and how the
# application's JVM runs by default.
# Sets RUSTBUCKET_JAVA_HOME to a JDK whose major version is >= 21, or prints one line and returns 1.
# Order: $JAVA_HOME if new enough, then `java` on PATH if new enough, then the newest under /usr/lib/jvm.

rb_java_major() {
  # Prints the major version of the java binary given as $1 (empty when it cannot run).
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  case "$v" in 1.*) v=${v#1.} ;; esac
  printf '%s' "${v%%.*}"
}

rb_find_java_home() {
  local min=21 best="" best_major=0 home major java_bin
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(rb_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then RUSTBUCKET_JAVA_HOME=$JAVA_HOME; return 0; fi
  fi
  if java_bin=$(command -v java 2>/dev/null); then
    major=$(rb_java_major "$java_bin")
    home=$(dirname "$(dirname "$(readlink -f "$java_bin")")")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ -x "$home/bin/javac" ]; then
      RUSTBUCKET_JAVA_HOME=$home; return 0
    fi
  fi
  for home in /usr/lib/jvm/*/ /opt/java/*/ "$HOME"/.sdkman/candidates/java/*/; do
    home=${home%/}
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] && [ ! -L "$home" ] || continue
    major=$(rb_java_major "$home/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best=$home; best_major=$major
    fi
  done
  if [ -n "$best" ]; then RUSTBUCKET_JAVA_HOME=$best; return 0; fi
  echo "rustbucket: no JDK >= $min found (checked JAVA_HOME, java on PATH, /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, or set JAVA_HOME" >&2
  return 1
}

# Serial GC and a small initial heap keep the idle process small (see docs/benchmarks.md); an out-of-memory
# error ends the process instead of leaving it half-working. RUSTBUCKET_JAVA_OPTS replaces them.
# shellcheck disable=SC2034 # used by the scripts that source this file
RUSTBUCKET_DEFAULT_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xss512k -XX:+ExitOnOutOfMemoryError"
# The platform (everything but the sensor alone) gets a fixed 32 MB young generation: with -Xms16m Serial keeps
# the young generation at ~14 MB for good, and log ingest at 20,000 events/s then spent 44 % of its CPU collecting
# it 30 times a second. The sensor alone keeps the smaller default (its idle memory is a goal of its own).
# shellcheck disable=SC2034
RUSTBUCKET_PLATFORM_JAVA_OPTS="-XX:+UseSerialGC -Xms64m -Xmn32m -Xss512k -XX:+ExitOnOutOfMemoryError"
