#!/usr/bin/env bash
# Peak memory and step time of a deep SympNet's training step, ordinary vs reversible vs
# checkpointed, at depths 10, 100 and 1000: one JVM per configuration (ReversibleMemory), each
# under the machine's build lock (DEPTHS and MODES choose a subset). The peaks are those of the
# steps as they run, no forced garbage collection; COLLECT=1 adds a run per configuration that
# collects garbage after every module (the memory a step keeps reachable; slow at depth 1000), and
# COMPILED=1 one whose steps are recorded once and replayed (CompiledStep).
# Prints one JSON line per run. Build first:
#   mvn -B -q -pl benchmarks -am package -DskipTests
set -euo pipefail
jar="$(dirname "$0")/target/benchmarks.jar"
lock="${LOCK:-/work/mvn.lock}"
run() { if [ -e "$lock" ]; then flock "$lock" "$@"; else "$@"; fi; }
for depth in ${DEPTHS:-10 100 1000}; do
  for mode in ${MODES:-ordinary reversible checkpointed}; do
    run java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$jar" io.structflow.benchmarks.ReversibleMemory \
        --mode "$mode" --depth "$depth" --steps 5
    if [ "${COMPILED:-0}" = 1 ]; then
      run java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$jar" io.structflow.benchmarks.ReversibleMemory \
          --mode "$mode" --depth "$depth" --compiled --steps 5
    fi
    if [ "${COLLECT:-0}" = 1 ]; then
      run java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$jar" io.structflow.benchmarks.ReversibleMemory \
          --mode "$mode" --depth "$depth" --collect --steps 1
    fi
  done
done
