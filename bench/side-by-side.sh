#!/usr/bin/env bash
# Issue 13: the keeper side by side with a bare Camel Main (bench/floor), same JVM and flags, interleaved runs.
# Usage: [ROUNDS=7] [IDLE=60] [SETTLE=5] [JAVA=java] [JAVA_OPTS='...'] [CDS=none|static|aot] [LABEL=...] \
#        bash bench/side-by-side.sh
#   CDS=static: a training run per jar writes a class-data archive (-XX:ArchiveClassesAtExit), the runs use it;
#   CDS=aot:    the same with a JDK 25 AOT cache (-XX:AOTCacheOutput / -XX:AOTCache).
#   KEEPER_TRAINING=out trains the keeper's archive logged out (start and pages only) instead of logged in.
#   KEEPER_JAR=path compares another build of the keeper (an older commit's jar: the "before" figures).
#   REBUILD=1 rebuilds both jars; otherwise each is built only when missing.
# Prints a markdown table (medians and ratios keeper/floor); every run goes to bench/out/runs.csv (OUT=... to change).
# Not a test: it asserts nothing and is not part of ./mvnw verify. Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${REBUILD:-0}" = 1 ] || [ ! -f target/yoto-token-keeper.jar ]; then ./mvnw -B -q -DskipTests package; fi
if [ "${REBUILD:-0}" = 1 ] || [ ! -f bench/floor/target/camel-floor.jar ]; then ./mvnw -B -q -f bench/floor/pom.xml -DskipTests package; fi
exec python3 bench/side_by_side.py --rounds "${ROUNDS:-7}" --idle "${IDLE:-60}" --settle "${SETTLE:-5}" \
  --java "${JAVA:-java}" --java-opts="${JAVA_OPTS:-}" --cds "${CDS:-none}" --keeper-training "${KEEPER_TRAINING:-in}" --label "${LABEL:-}" \
  --modes "${MODES:-floor,keeper-out,keeper-in}" --keeper-jar "${KEEPER_JAR:-target/yoto-token-keeper.jar}" --out "${OUT:-bench/out}"
