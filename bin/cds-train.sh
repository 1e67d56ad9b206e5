#!/usr/bin/env bash
# Makes the class-data archive of the fat jar with a training run, at build time on the image that will run it:
# starts the service with the flags of bin/jvm-options.sh, logged in against a local stand-in token server (so the
# refresh path is archived too), asks for its pages, stops it with SIGTERM; the JVM writes the archive at exit.
# JDK 17-24: target/yoto-token-keeper.jsa (-XX:ArchiveClassesAtExit); JDK 25+: target/yoto-token-keeper.aot
# (-XX:AOTCacheOutput). bin/start.sh uses it. Needs only bash and the JDK; takes about 10 s.
# A failed training leaves no archive and exits 0 with a warning: the service then starts without one.
set -uo pipefail
cd "$(dirname "$0")/.."
. bin/jvm-options.sh
archive=$(keeper_archive)
rm -f "$archive"
case "$archive" in
  *.aot) train_opt="-XX:AOTCacheOutput=$archive" ;;
  *) train_opt="-XX:ArchiveClassesAtExit=$archive" ;;
esac
[ -f "$KEEPER_JAR" ] || { echo "cds-train: no $KEEPER_JAR: build it first (./mvnw -B -DskipTests package)" >&2; exit 1; }

work=$(mktemp -d)
keeper='' stub=''
cleanup() {
  [ -n "$keeper" ] && kill "$keeper" 2>/dev/null
  [ -n "$stub" ] && kill "$stub" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
give_up() { echo "cds-train: $* (no archive; the service starts without one)" >&2; tail -20 "$work/keeper.log" >&2 2>/dev/null; exit 0; }

"$KEEPER_JAVA" bin/TrainingTokenServer.java > "$work/ports" 2> "$work/stub.log" & stub=$!
for _ in $(seq 1 300); do [ -s "$work/ports" ] && break; sleep 0.1; done
read -r stub_port port < "$work/ports" || give_up "the training token server did not start"
echo "training-rt-0" > "$work/.yoto_refresh_token"

# a clean environment: no Railway variable (it would move the token file to /data), no operator setting
# shellcheck disable=SC2086
env -i PATH="$PATH" HOME="${HOME:-/tmp}" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
  PORT="$port" HOST=127.0.0.1 YOTO_CLIENT_ID=training YOTO_REFRESH_TOKEN_FILE="$work/.yoto_refresh_token" \
  YOTO_TOKEN_URL="http://127.0.0.1:$stub_port/oauth/token" YOTO_DEVICE_CODE_URL="http://127.0.0.1:$stub_port/oauth/device/code" \
  "$KEEPER_JAVA" $KEEPER_JAVA_OPTS "$train_opt" -jar "$KEEPER_JAR" > "$work/keeper.log" 2>&1 & keeper=$!

get() { # status line of GET $1, with bash's /dev/tcp (no curl needed)
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  head -1 <&3
  exec 3<&-
}
ready=''
for _ in $(seq 1 600); do
  kill -0 "$keeper" 2>/dev/null || give_up "the service stopped during training"
  if get /health 2>/dev/null | grep -q ' 200'; then ready=1; break; fi
  sleep 0.1
done
[ -n "$ready" ] || give_up "the service did not answer /health in 60 s"
for _ in $(seq 1 300); do grep -q "Token refresh successful" "$work/keeper.log" && break; sleep 0.1; done
for path in / /auth/status /metrics /health; do get "$path" >/dev/null 2>&1; done
sleep 1
kill -TERM "$keeper"; wait "$keeper"; keeper=''
[ -f "$archive" ] || give_up "the JVM wrote no archive"
echo "cds-train: $archive ($(du -h "$archive" | cut -f1)) for $("$KEEPER_JAVA" -version 2>&1 | head -1) with $KEEPER_JAVA_OPTS"
