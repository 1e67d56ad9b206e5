#!/usr/bin/env bash
# JMH figures of issue 13 (docs/BENCHMARKS.md): the token hand-out (direct:yoto-access-token with a valid token, p50
# and p99 in SampleTime mode) and one refresh against the raw HTTP round trip to the same in-process stub server.
# Usage: bash bench/jmh/run.sh [JMH options]   e.g. -f 1 -wi 2 -i 3 for a smoke run; -jvmArgs '-XX:TieredStopAtLevel=1'
# Builds the keeper's fat jar first when it is missing. Not a test, not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/yoto-token-keeper.jar ] || ./mvnw -B -q -DskipTests package
./mvnw -B -q -f bench/jmh/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile
cp="bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)"
case "$cp" in *yoto-token-keeper.jar*) ;; *) cp="$cp:target/yoto-token-keeper.jar" ;; esac
exec java -cp "$cp" org.openjdk.jmh.Main "${@:-bench.jmh}"
