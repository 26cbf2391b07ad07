#!/usr/bin/env bash
# Side-by-side speed of structflow (JMH) and the same networks in PyTorch (benchmarks/torch/),
# on this machine, in one go. Prints `ratio <case> <java/torch> java=<µs> torch=<µs>` per case
# and writes benchmarks/results/<date>.json.
#   benchmarks/compare.sh            # full run (~15 minutes)
#   benchmarks/compare.sh --quick    # every case briefly (a few minutes)
# Threads: THREADS (default 1) for both sides: ND4J/OpenMP, OpenBLAS and torch.set_num_threads.
# Time only on a quiet machine: two busy processes on 2 cores distort both sides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads="${THREADS:-1}"
quick=""
jmh_opts=(-wi 3 -i 5 -w 2 -r 2 -f 1)
if [[ "${1:-}" == "--quick" ]]; then
  quick="--quick"
  jmh_opts=(-wi 1 -i 3 -w 1 -r 1 -f 1)
fi
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "PyTorch missing: apt-get install -y python3-torch libopenblas0-pthread" >&2
  exit 1
fi
mvn -B -q package -pl benchmarks -am -DskipTests
mkdir -p benchmarks/results
java_json="$(mktemp)"
java -Dstructflow.threads="$threads" -jar benchmarks/target/benchmarks.jar "${jmh_opts[@]}" \
  -rf json -rff "$java_json" "${BENCHMARKS:-OpOverhead|GradientFlowLayer|ConvGradientFlow|CoreTrainingStep|LayerTrainingStep}" >&2
torch_json="$(/usr/bin/python3 benchmarks/torch/bench_core.py $quick --threads "$threads")"
/usr/bin/python3 benchmarks/torch/combine.py "$java_json" "$torch_json" "$threads" \
  "benchmarks/results/$(date +%Y-%m-%d).json"
