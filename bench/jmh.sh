#!/usr/bin/env bash
# Runs the JMH benchmarks of the broker's hot paths against this checkout's code.
# Usage: bench/jmh.sh [JMH options], e.g. bench/jmh.sh TopicMatching -f 1
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Compiling in the same run makes Maven put the sibling modules' target/classes on the class path.
mvn -q -B -pl bench/jmh -am compile dependency:build-classpath -Dmdep.outputFile=target/jmh-classpath.txt
exec java -cp "bench/jmh/target/classes:$(cat bench/jmh/target/jmh-classpath.txt)" org.openjdk.jmh.Main "$@"
