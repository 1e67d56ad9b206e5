#!/usr/bin/env bash
# Where a start spends its main thread's time (issue 13): runs a jar RUNS times (default 3) with the sampling agent of
# bench/start-profile, each until /health answers plus a few seconds, and prints the methods on the stack in the most
# samples (inclusive), summed over the runs, without the time the main thread waits once started.
# Usage: [RUNS=3] [JAVA_OPTS='...'] [JAR=target/yoto-token-keeper.jar] bash bench/start-profile.sh [TOP=60]
#   e.g. JAVA_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAM=256m -XX:SharedArchiveFile=...'
#   JAR=bench/floor/target/camel-floor.jar profiles the floor the same way. Samples ~1 ms apart; the agent slows the
#   start a little. Compare shares within one machine and one run of this script; not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(realpath "${JAR:-target/yoto-token-keeper.jar}")
out=$(pwd)/bench/out/start-profile
mkdir -p "$out/classes"
javac -d "$out/classes" bench/start-profile/StartSampler.java
printf 'Premain-Class: StartSampler\n' > "$out/manifest.txt"
jar cfm "$out/start-sampler.jar" "$out/manifest.txt" -C "$out/classes" .
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for i in $(seq 1 "${RUNS:-3}"); do
  work=$(mktemp -d)
  # shellcheck disable=SC2086 # JAVA_OPTS is a word list
  (cd "$work" && exec env HOST=127.0.0.1 PORT="$port" YOTO_REFRESH_TOKEN_FILE="$work/.yoto_refresh_token" \
      java ${JAVA_OPTS:-} -javaagent:"$out/start-sampler.jar=$out/run-$i.txt,4" -jar "$jar" \
      > "$work/app.log" 2>&1) & pid=$!
  for _ in $(seq 1 1000); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.01; done
  sleep 4.5 # the agent writes its samples after 4 s
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
done
python3 - "$out" "${RUNS:-3}" "${1:-60}" <<'PY'
import collections, sys
out, runs, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
counts, total = collections.Counter(), 0
for i in range(1, runs + 1):
    for line in open(f"{out}/run-{i}.txt"):
        kind, count, *name = line.split()
        if kind == "total":
            total += int(count)
        else:
            counts[name[0]] += int(count)
waiting = counts["org.apache.camel.main.MainSupport.waitUntilCompleted"]
print(f"{runs} runs, {total} samples, {total - waiting} before the main thread waits (the start)")
start = max(1, total - waiting)
shown = [(name, count) for name, count in counts.most_common() if count <= start][:top]  # not the frames of the wait
for name, count in shown:
    print(f"{count:6d}  {100 * count / start:5.1f} %  {name}")
PY
