#!/usr/bin/env bash
# The service's performance figures: start time, idle memory, idle CPU and request latency.
# Usage: bash bench/benchmark.sh [idle-seconds]   (builds the fat jar first if it is missing)
# Not a test: it asserts nothing and is not run by ./mvnw verify. Figures go into docs/BENCHMARKS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
idle=${1:-60}
[ -f target/yoto-token-keeper.jar ] || ./mvnw -B -q -DskipTests package

work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
stub_port=$(free_port); port=$(free_port)
python3 bench/stub_token_server.py "$stub_port" & stub=$!
echo "bench-rt-0" > "$work/.yoto_refresh_token"
cleanup() { kill "$keeper" "$stub" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_ns=$(date +%s%N)
(cd "$work" && exec env YOTO_CLIENT_ID=bench-client YOTO_TOKEN_URL="http://127.0.0.1:$stub_port/oauth/token" \
    PORT="$port" HOST=127.0.0.1 java ${JAVA_OPTS:-} -jar "$OLDPWD/target/yoto-token-keeper.jar" > "$work/keeper.log" 2>&1) &
keeper=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
  kill -0 "$keeper" 2>/dev/null || { cat "$work/keeper.log"; exit 1; }
  sleep 0.05
done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
until grep -q "Token refresh successful" "$work/keeper.log"; do sleep 0.05; done
refreshed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
camel_started=$(grep -o 'started in [0-9a-z]*' "$work/keeper.log" | head -1)

# the JVM's process id is the keeper's (exec above)
ticks() { awk '{print $14 + $15}' "/proc/$keeper/stat"; }
sleep 10  # let start-up work (JIT, class loading) settle before measuring idle
cpu0=$(ticks); t0=$(date +%s%N)
sleep "$idle"
cpu1=$(ticks); t1=$(date +%s%N)
hz=$(getconf CLK_TCK)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$keeper/status")
cpu_pct=$(awk -v c=$((cpu1 - cpu0)) -v hz="$hz" -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", 100 * c / hz / (ns / 1e9) }')

echo "## $(date -u +%Y-%m-%d) on $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "- ready (GET /health answers 200) after: ${ready_ms} ms from process start (Camel: ${camel_started})"
echo "- first token refresh done after: ${refreshed_ms} ms from process start"
echo "- idle resident memory after $((idle + 10)) s: $((rss_kb / 1024)) MiB (VmRSS)"
echo "- idle CPU over ${idle} s: ${cpu_pct} % of one core"
python3 bench/latency.py "$port" GET /health 2000 | sed 's/^/- latency, /'
for extra in ${BENCH_EXTRA_PATHS:-}; do
  python3 bench/latency.py "$port" ${extra/:/ } 500 | sed 's/^/- latency, /'
done
