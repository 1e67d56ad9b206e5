#!/usr/bin/env bash
# Issue 13's full figures in one command, for a quiet machine (about 100 minutes with the defaults):
#   bash bench/issue13.sh
# Builds the keeper (this checkout), the floor, and the keeper of BEFORE (a commit, default f71d690: before issue 13)
# in bench/out/before, then runs bench/side-by-side.sh for each configuration and the JMH benchmarks, and writes
# every table to bench/out/issue13-report.md (paste into docs/BENCHMARKS.md).
# Settings: ROUNDS (7), IDLE (60), BEFORE (f71d690), JAVA25 (a JDK 25 java for the AOT-cache rows; skipped when absent),
#           CONFIGS (default "before-plain after-plain before-shipped after-shipped after-jdk25"), JMH=0 to skip JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
export ROUNDS=${ROUNDS:-7} IDLE=${IDLE:-60}
BEFORE=${BEFORE:-f71d690}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CONFIGS=${CONFIGS:-before-plain after-plain before-shipped after-shipped after-jdk25}
SHIPPED="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAM=256m"   # bin/jvm-options.sh
report=bench/out/issue13-report.md
mkdir -p bench/out

./mvnw -B -q -DskipTests package
./mvnw -B -q -f bench/floor/pom.xml -DskipTests package
if [[ " $CONFIGS " == *" before-"* ]]; then
  rm -rf bench/out/before && mkdir -p bench/out/before
  git archive "$BEFORE" | tar -x -C bench/out/before
  (cd bench/out/before && ./mvnw -B -q -DskipTests package)
fi
before_jar=bench/out/before/target/yoto-token-keeper.jar

{
  echo "# Issue 13 figures, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD), before = $BEFORE"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
} > "$report"

run() { # label, then env assignments for side-by-side.sh
  local label=$1; shift
  echo "== $label" >&2
  env "$@" LABEL="$label" OUT="bench/out/$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-')" bash bench/side-by-side.sh >> "$report"
  echo >> "$report"
}
for config in $CONFIGS; do
  case $config in
    before-plain)   run "before ($BEFORE), no flags" KEEPER_JAR="$before_jar" ;;
    after-plain)    run "after, no flags" ;;
    before-shipped) run "before ($BEFORE), shipped flags + CDS archive" KEEPER_JAR="$before_jar" JAVA_OPTS="$SHIPPED" CDS=static ;;
    after-shipped)  run "after, shipped flags + CDS archive" JAVA_OPTS="$SHIPPED" CDS=static ;;
    after-jdk25)
      if [ -x "$JAVA25" ]; then run "after, JDK 25, shipped flags + AOT cache" JAVA="$JAVA25" JAVA_OPTS="$SHIPPED" CDS=aot
      else echo "(no JDK 25 at $JAVA25: AOT-cache rows skipped)" >> "$report"; fi ;;
    *) echo "unknown configuration $config" >&2; exit 2 ;;
  esac
done

if [ "${JMH:-1}" = 1 ]; then
  for opts in "" "$SHIPPED"; do
    echo "== JMH ${opts:-no flags}" >&2
    {
      echo "### JMH, JVM flags: \`${opts:-none}\`"
      echo
      echo '```'
      bash bench/jmh/run.sh ${opts:+-jvmArgsAppend "$opts"} 2>&1 | sed -n '/^Benchmark /,$p' | grep -E '^Benchmark |:p0\.50 |:p0\.99 |^KeeperBenchmark\.[A-Za-z]+ '
      echo '```'
      echo
    } >> "$report"
  done
fi
echo "report: $report" >&2
