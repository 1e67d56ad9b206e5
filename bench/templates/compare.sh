#!/usr/bin/env bash
# Compares the two template engines considered for the page (issue 10): a cold render in a fresh JVM, 7 runs each,
# medians. Needs a build (./mvnw -B -DskipTests package) and mustache.java in the local Maven repository
# (./mvnw -q dependency:get -Dartifact=com.github.spullara.mustache.java:compiler:0.9.14).
set -euo pipefail
cd "$(dirname "$0")/../.."
m2=${MAVEN_REPO:-$HOME/.m2/repository}
jte="target/classes:$m2/gg/jte/jte-runtime/3.2.5/jte-runtime-3.2.5.jar"
mustache="$m2/com/github/spullara/mustache/java/compiler/0.9.14/compiler-0.9.14.jar"
out=$(mktemp -d)
javac -d "$out" -cp "$jte:$mustache" bench/templates/TemplateStart.java
for engine in jte mustache; do
  for i in 1 2 3 4 5 6 7; do
    java -Xshare:auto -cp "$out:$jte:$mustache" TemplateStart $engine bench/templates
  done | sort -t= -k2 -n | sed -n 4p | sed "s/^/median of 7 (by first render): /"
done
