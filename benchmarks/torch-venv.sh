#!/usr/bin/env bash
# Installs a PyTorch 2.x CPU build (MKL + oneDNN) with NumPy and SciPy, offline, into a venv, so that
# benchmarks/compare.sh can run the PyTorch twins on it beside Debian's python3-torch 1.13.
#   benchmarks/torch-venv.sh [<venv>]        # default benchmarks/.venv-torch2 (the one compare.sh looks for)
# The wheels are the ones on this machine: every folder holding a torch-*.whl or scipy-*.whl is a
# --find-links of `pip install --no-index`. It tries the torch 2.x wheels newest first and keeps the
# first that installs, skipping CUDA builds (they need gigabytes of nvidia-* wheels and are not the
# CPU build the twins are compared with). Idempotent: a venv that already imports torch 2.x, NumPy
# and SciPy is left as it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv="${1:-benchmarks/.venv-torch2}"
ready='import sys, numpy, scipy, torch; sys.exit(0 if torch.__version__.startswith("2.") else 1)'
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c "$ready" 2>/dev/null; then
  echo "$venv: torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)') already installed"
  exit 0
fi
mapfile -t found < <(find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o \
  \( -name 'torch-*.whl' -o -name 'scipy-*.whl' \) -type f -print 2>/dev/null || true)
links=()
for dir in $(printf '%s\n' "${found[@]}" | xargs -r -n1 dirname | sort -u); do
  links+=(--find-links "$dir")
done
# torch 2.x wheels, newest version first (sort -V on the file name's version)
mapfile -t torches < <(printf '%s\n' "${found[@]}" | grep '/torch-2\.[^/]*\.whl$' \
  | awk -F/ '{print $NF "\t" $0}' | sort -V -r | cut -f2)
if [[ ${#torches[@]} -eq 0 ]]; then
  echo "torch-venv.sh: no torch-2.*.whl found on this machine (find / -name 'torch-*.whl')" >&2
  exit 1
fi
[[ -x "$venv/bin/python" ]] || /usr/bin/python3 -m venv "$venv"
for wheel in "${torches[@]}"; do
  if unzip -p "$wheel" '*.dist-info/METADATA' | grep -qi '^Requires-Dist: nvidia-'; then
    echo "torch-venv.sh: skipping $wheel (a CUDA build)" >&2
    continue
  fi
  echo "torch-venv.sh: installing $wheel into $venv" >&2
  if "$venv/bin/python" -m pip install -q --no-index "${links[@]}" "$wheel" numpy scipy \
      && "$venv/bin/python" -c "$ready"; then
    "$venv/bin/python" -c 'import numpy, scipy, torch
print(f"torch {torch.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}, "
      f"mkl {torch.backends.mkl.is_available()}, onednn {torch.backends.mkldnn.is_available()}")'
    exit 0
  fi
  echo "torch-venv.sh: $wheel did not install, trying the next" >&2
done
echo "torch-venv.sh: none of ${torches[*]} installed into $venv" >&2
exit 1
