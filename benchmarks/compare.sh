#!/usr/bin/env bash
# Side-by-side speed and memory of structflow (JMH) and the same networks in PyTorch
# (benchmarks/torch/), on this machine, in one go. Prints `ratio <case> <java/torch> java=… torch=…`
# per case and writes benchmarks/results/<date>.json.
#   benchmarks/compare.sh            # full run (~45 minutes; a whole Fashion-MNIST epoch each side)
#   benchmarks/compare.sh --quick    # every case briefly (~15 minutes; 6 400 images for the epoch)
# Threads: THREADS (default 1) for both sides: ND4J/OpenMP, OpenBLAS and torch.set_num_threads.
# BENCHMARKS=<JMH regex> restricts the Java side. Time only on a quiet machine: two busy
# processes on 2 cores distort both sides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads="${THREADS:-1}"
quick=""
jmh_opts=(-wi 3 -i 5 -w 2 -r 2 -f 1)
images=0
if [[ "${1:-}" == "--quick" ]]; then
  quick="--quick"
  jmh_opts=(-wi 1 -i 3 -w 1 -r 1 -f 1)
  images=6400
fi
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"

if ! /usr/bin/python3 -c 'import torch, scipy' 2>/dev/null; then
  echo "PyTorch or SciPy missing: apt-get install -y python3-torch python3-scipy libopenblas0-pthread" >&2
  exit 1
fi
mvn -B -q install -pl benchmarks -am -DskipTests
mkdir -p benchmarks/results
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -Dstructflow.threads="$threads" -jar benchmarks/target/benchmarks.jar "${jmh_opts[@]}" \
  -rf json -rff "$work/jmh.json" \
  "${BENCHMARKS:-OpOverhead|GradientFlowLayer|ConvGradientFlow|CoreTrainingStep|LayerFamily|ExampleTrainingStep}" >&2
for script in bench_core bench_layers bench_examples bench_fmnist; do
  /usr/bin/python3 "benchmarks/torch/$script.py" $quick --threads "$threads" > "$work/$script.json"
done
/usr/bin/python3 - "$work" > "$work/torch.json" <<'PY'
import json, sys
merged = {}
for name in ("bench_core", "bench_layers", "bench_examples", "bench_fmnist"):
    merged.update(json.load(open(f"{sys.argv[1]}/{name}.json")))
print(json.dumps(merged))
PY
memory=()
if [[ -d /usr/share/datasets/fashion-mnist ]]; then
  java_mem="$(java -Xmx1g -Dstructflow.threads="$threads" -cp benchmarks/target/benchmarks.jar \
    io.structflow.benchmarks.FashionMnistEpochMemory --network prescribed --images "$images" | tail -1)"
  torch_mem="$(/usr/bin/python3 benchmarks/torch/fmnist_epoch_rss.py --network prescribed --images "$images" \
    --threads "$threads" | tail -1)"
  echo "{\"java\": $java_mem, \"torch\": $torch_mem}" > "$work/memory.json"
  memory=("$work/memory.json")
else
  echo "Fashion-MNIST missing (apt-get install -y dataset-fashion-mnist): epoch memory skipped" >&2
fi
/usr/bin/python3 benchmarks/torch/combine.py "$work/jmh.json" "$work/torch.json" "$threads" \
  "benchmarks/results/$(date +%Y-%m-%d).json" "${memory[@]}"
