#!/usr/bin/env bash
# Side-by-side speed and memory of structflow (JMH) and the same networks in PyTorch
# (benchmarks/torch/), on this machine, in one go, against every PyTorch build given. Prints
# `ratio <case> <ratio against the peer> java=… torch=… peer=<build> (<build>: <ratio> <time>; …)` per
# case, the peer being the faster build, and writes benchmarks/results/<date>.json.
#   benchmarks/compare.sh            # full run: a whole Fashion-MNIST epoch at 1 and 2 threads each side
#   benchmarks/compare.sh --quick    # every case briefly; the epoch on 6 400 images at THREADS
#   benchmarks/compare.sh --epoch    # only the whole Fashion-MNIST epoch at 1 and 2 threads each side
#                                    # (no JMH, no twins); writes benchmarks/results/<date>-epoch.json
#   benchmarks/compare.sh --smoke    # each case once, the epoch on 128 images at 1 and 2 threads: checks
#                                    # that everything runs; times nothing worth quoting, writes
#                                    # $TMPDIR/structflow-compare-smoke.json instead of results/
# PYTHON: the Pythons whose PyTorch runs the twins, space-separated (default: Debian's /usr/bin/python3
#   and, once benchmarks/torch-venv.sh has installed it, the PyTorch 2.x CPU build in
#   benchmarks/.venv-torch2). Each needs torch, numpy and scipy.
# THREADS (default 1) for both sides: ND4J/OpenMP, OpenBLAS, MKL and torch.set_num_threads.
# EPOCH_THREADS: the thread counts of the epoch runs (default "1 2"; with --quick, THREADS).
# BENCHMARKS=<JMH regex> restricts the Java side. Time only on a quiet machine: two busy
# processes on 2 cores distort both sides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads="${THREADS:-1}"
mode="${1:-}"
case "$mode" in
  "")      jmh_opts=(-wi 3 -i 5 -w 2 -r 2 -f 1); images=0; epoch_threads="${EPOCH_THREADS:-1 2}" ;;
  --quick) jmh_opts=(-wi 1 -i 3 -w 1 -r 1 -f 1); images=6400; epoch_threads="${EPOCH_THREADS:-$threads}" ;;
  --epoch) jmh_opts=(); images=0; epoch_threads="${EPOCH_THREADS:-1 2}" ;;
  --smoke) jmh_opts=(-wi 0 -i 1 -w 100ms -r 100ms -f 0); images=128; epoch_threads="${EPOCH_THREADS:-1 2}"
           export STRUCTFLOW_TWIN_SMOKE=1 ;;
  *) echo "compare.sh: expected no argument, --quick, --epoch or --smoke but got '$mode'" >&2; exit 2 ;;
esac
twin_flag=()
[[ "$mode" == "" ]] || twin_flag=(--quick)
if [[ -n "${PYTHON:-}" ]]; then
  read -r -a pythons <<< "$PYTHON"
else
  pythons=(/usr/bin/python3)
  if [[ -x benchmarks/.venv-torch2/bin/python ]]; then pythons+=("$PWD/benchmarks/.venv-torch2/bin/python"); fi
fi
for python in "${pythons[@]}"; do
  if ! "$python" -c 'import torch, numpy, scipy' 2>/dev/null; then
    echo "PYTHON: $python does not import torch, numpy and scipy (Debian's: apt-get install -y python3-torch" \
         "python3-scipy libopenblas0-pthread; the 2.x CPU build: benchmarks/torch-venv.sh)" >&2
    exit 1
  fi
done
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"

mvn -B -q package -pl benchmarks -am -DskipTests
mkdir -p benchmarks/results
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ "$mode" != --epoch ]]; then
  java -Dstructflow.threads="$threads" -jar benchmarks/target/benchmarks.jar "${jmh_opts[@]}" \
    -rf json -rff "$work/jmh.json" \
    "${BENCHMARKS:-OpOverhead|GradientFlowLayer|ConvGradientFlow|CoreTrainingStep|LayerFamily|ExampleTrainingStep}" >&2
fi
for i in "${!pythons[@]}"; do
  "${pythons[$i]}" benchmarks/torch/build_info.py --threads "$threads" > "$work/build-$i.json"
  echo "PyTorch build $i: $(cat "$work/build-$i.json")" >&2
  [[ "$mode" != --epoch ]] || continue
  for script in bench_core bench_layers bench_examples bench_fmnist; do
    "${pythons[$i]}" "benchmarks/torch/$script.py" "${twin_flag[@]}" --threads "$threads" > "$work/build-$i-$script.json"
  done
done
if [[ -d /usr/share/datasets/fashion-mnist ]]; then
  for t in $epoch_threads; do
    OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS="$t" MKL_NUM_THREADS="$t" java -Xmx1g -Dstructflow.threads="$t" \
      -cp benchmarks/target/benchmarks.jar io.structflow.benchmarks.FashionMnistEpochMemory \
      --network prescribed --images "$images" | tail -1 > "$work/epoch-t$t-java.json"
    for i in "${!pythons[@]}"; do
      OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS="$t" MKL_NUM_THREADS="$t" "${pythons[$i]}" \
        benchmarks/torch/fmnist_epoch_rss.py --network prescribed --images "$images" --threads "$t" \
        | tail -1 > "$work/epoch-t$t-build-$i.json"
    done
  done
else
  echo "Fashion-MNIST missing (apt-get install -y dataset-fashion-mnist): epoch time and memory skipped" >&2
fi
out="benchmarks/results/$(date +%Y-%m-%d).json"
[[ "$mode" != --epoch ]] || out="benchmarks/results/$(date +%Y-%m-%d)-epoch.json"
[[ "$mode" != --smoke ]] || out="${TMPDIR:-/tmp}/structflow-compare-smoke.json"
/usr/bin/python3 benchmarks/torch/combine.py "$work" "$threads" "$out"
