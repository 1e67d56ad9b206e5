# The JVM options of the standalone service in a small container (sourced by bin/start.sh and bin/cds-train.sh: a
# class-data archive works only with the flags it was made with). Measured in docs/BENCHMARKS.md (issue 13):
#   -XX:+UseSerialGC          one GC thread and no G1 side tables: about 40 MB less resident memory, idle CPU lower
#   -XX:TieredStopAtLevel=1   C1 only: less CPU and memory spent compiling at start; the keeper is never CPU-bound
#   -XX:MaxRAM=256m           size the heap for 256 MB (64 MB heap) whatever the container's limit
# Override with KEEPER_JAVA_OPTS (replaces these) or JAVA_OPTS (added after them, so its flags win).
KEEPER_JAVA_OPTS=${KEEPER_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAM=256m}
KEEPER_JAR=${KEEPER_JAR:-target/yoto-token-keeper.jar}
KEEPER_JAVA=${KEEPER_JAVA:-java}

# The class-data archive for this JDK: an AOT cache on JDK 25+ (classes loaded and linked, plus profiles), a dynamic
# CDS archive on JDK 17-24. Both live next to the jar and match only that jar, that JDK and these flags.
keeper_java_feature() {
  "$KEEPER_JAVA" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}'
}
keeper_archive() {
  if [ "$(keeper_java_feature)" -ge 25 ]; then echo "${KEEPER_JAR%.jar}.aot"; else echo "${KEEPER_JAR%.jar}.jsa"; fi
}
