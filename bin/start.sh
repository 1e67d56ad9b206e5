#!/usr/bin/env bash
# Starts the standalone service with the container flags of bin/jvm-options.sh and, when bin/cds-train.sh made one
# at build time, the class-data archive. Run from anywhere; extra arguments go to the service.
# Check that the archive is used: JAVA_OPTS=-Xshare:on bash bin/start.sh refuses to start when it is not (JDK 17-24);
# or count "source: shared objects file" in -Xlog:class+load output (the archive's classes; JDK 25's AOT cache says the same).
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jvm-options.sh
archive=$(keeper_archive)
archive_opts=()
if [ -f "$archive" ]; then
  case "$archive" in
    *.aot) archive_opts=("-XX:AOTCache=$archive") ;;
    *) archive_opts=("-XX:SharedArchiveFile=$archive") ;;
  esac
fi
# shellcheck disable=SC2086 # the option strings are word lists
exec "$KEEPER_JAVA" $KEEPER_JAVA_OPTS "${archive_opts[@]}" ${JAVA_OPTS:-} -jar "$KEEPER_JAR" "$@"
