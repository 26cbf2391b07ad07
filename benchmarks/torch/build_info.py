"""Describes the PyTorch build this Python runs, as benchmarks/compare.sh records it beside each
twin's timings, after setting the thread count the twins use.

usage: build_info.py --threads N
Prints one JSON line: {"python", "torch", "numpy", "scipy", "mkl", "onednn", "blas", "threads"}.
Fails (exit 1, one line) when torch.get_num_threads() is not N after torch.set_num_threads(N), or when
OMP_NUM_THREADS / MKL_NUM_THREADS / OPENBLAS_NUM_THREADS is set to anything else: the twins would
then not run with the Java side's thread count.
"""
import json
import os
import re
import sys


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "--threads" or not sys.argv[2].isdigit() or int(sys.argv[2]) < 1:
        sys.exit(f"build_info.py: expected --threads N (N ≥ 1) but got {' '.join(sys.argv[1:])!r}")
    threads = int(sys.argv[2])
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        if os.environ.get(name, str(threads)) != str(threads):
            sys.exit(f"build_info.py: {name}: expected {threads} (--threads) but got {os.environ[name]}")
    import numpy
    import scipy
    import torch
    torch.set_num_threads(threads)
    if torch.get_num_threads() != threads:
        sys.exit(f"build_info.py: torch.get_num_threads(): expected {threads} but got {torch.get_num_threads()}")
    blas = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    print(json.dumps({"python": sys.executable, "torch": torch.__version__, "numpy": numpy.__version__,
                      "scipy": scipy.__version__, "mkl": torch.backends.mkl.is_available(),
                      "onednn": torch.backends.mkldnn.is_available(), "blas": blas.group(1) if blas else None,
                      "threads": threads}))


if __name__ == "__main__":
    main()
