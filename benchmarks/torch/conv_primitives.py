"""Each convolution product of the Fashion-MNIST and conv gradient-flow benchmarks alone in PyTorch,
the twin of ConvKernelBenchmark: batch 64, C -> C channels, 3x3 kernel, padding 1, on side x side
images, one call per line, median milliseconds over 30 calls after 5. Run it with ONEDNN_VERBOSE=1
to see which oneDNN implementation PyTorch's build picks for each (docs/performance.md).

usage: conv_primitives.py C:SIDE[,C:SIDE...] [--threads N]     e.g. 8:28,32:28
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def median_ms(fn, calls=30, warmup=5):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def cases(c, side):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(64, c, side, side, generator=g)
    w = torch.randn(c, c, 3, 3, generator=g) / 17
    gy = torch.randn(64, c, side, side, generator=g)
    backward = torch.ops.aten.convolution_backward

    def grads(mask):
        return lambda: backward(gy, x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask)
    return {
        "conv2d": lambda: F.conv2d(x, w, padding=1),
        "conv_transpose2d": lambda: F.conv_transpose2d(gy, w, padding=1),
        "conv2d_flipped_kernel": lambda: F.conv2d(gy, w.flip(2, 3).transpose(0, 1), padding=1),
        "backward_both": grads([True, True, False]),
        "backward_weight_only": grads([False, True, False]),
        "backward_input_only": grads([True, False, False]),
    }


def main():
    args = sys.argv[1:]
    threads = 1
    if len(args) == 3 and args[1] == "--threads" and args[2].isdigit():
        threads = int(args[2])
        args = args[:1]
    if len(args) != 1:
        sys.exit(f"conv_primitives.py: expected C:SIDE[,C:SIDE...] [--threads N] but got {' '.join(sys.argv[1:])!r}")
    torch.set_num_threads(threads)
    for shape in args[0].split(","):
        try:
            c, side = (int(v) for v in shape.split(":"))
        except ValueError:
            sys.exit(f"conv_primitives.py: shape expected C:SIDE (two integers) but got {shape!r}")
        for name, fn in cases(c, side).items():
            print(f"{c}x{side} {name}: {median_ms(fn):.3f} ms", flush=True)


if __name__ == "__main__":
    main()
