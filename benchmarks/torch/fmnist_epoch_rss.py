"""One training epoch of the PyTorch twin of structflow's Fashion-MNIST classifier ([CMOSS] §3.3,
the networks of bench_fmnist.py) on the real training images: wall-clock time and peak resident memory.

usage: fmnist_epoch_rss.py [--images N] [--network prescribed|resnet] [--threads N]
  --images N    the first N training images (default and 0: all 60000), as RobustExperiment.trainingSet
  --network     prescribed (default; the switching network with its projections) or resnet
  --threads N   torch.set_num_threads(N), and OMP/OPENBLAS/MKL_NUM_THREADS when not set already (default 1)

Prints one JSON line: {"network", "images", "seconds", "loss", "peak_rss_kb"} (loss: the epoch's mean
batch loss weighted by batch size, as the Java's EpochResult.loss). `seconds` is the epoch alone
(shuffled batches of 64, the last one partial, each a full step with projections: bench_fmnist.Trainer),
as the Java's TrainingOutcome.seconds times Trainer.fit; loading the data and building the network are
not counted. `peak_rss_kb` is getrusage(RUSAGE_SELF).ru_maxrss at the end (kB on Linux), so it includes
the loaded images (float32 [N, 1, 28, 28] in [0, 1]; the test set is not loaded).
The IDX files are read from /usr/share/datasets/fashion-mnist/, each plain or gzip (the content decides).
"""
import gzip
import json
import os
import resource
import sys
import time


def arg(name, default):
    if name in sys.argv:
        i = sys.argv.index(name)
        if i + 1 >= len(sys.argv):
            sys.exit(f"fmnist_epoch_rss.py: {name} expects a value")
        return sys.argv[i + 1]
    return default


THREADS = int(arg("--threads", "1"))
# before numpy/torch load OpenBLAS and OpenMP: their own threads otherwise fight PyTorch's
os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(THREADS))
os.environ.setdefault("MKL_NUM_THREADS", str(THREADS))

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_fmnist import BATCH, LR, RESNET_LR, FashionMnistNet, Trainer  # noqa: E402

DATA_DIR = "/usr/share/datasets/fashion-mnist"
INSTALL_HINT = "apt-get install -y dataset-fashion-mnist puts the files in /usr/share/datasets/fashion-mnist/"


def read_idx(base):
    """The bytes of an IDX file `base` or `base.gz` (decompressed when the content is gzip)."""
    for path in (os.path.join(DATA_DIR, base), os.path.join(DATA_DIR, base + ".gz")):
        if os.path.isfile(path):
            with open(path, "rb") as f:
                data = f.read()
            return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    sys.exit(f"fmnist_epoch_rss.py: Fashion-MNIST file {base}[.gz] not found in {DATA_DIR} ({INSTALL_HINT})")


def training_set(n):
    """The first n training images as float32 [n, 1, 28, 28] in [0, 1], and their labels (int64)."""
    images = read_idx("train-images-idx3-ubyte")
    labels = read_idx("train-labels-idx1-ubyte")
    if int.from_bytes(images[:4], "big") != 0x0803 or int.from_bytes(labels[:4], "big") != 0x0801:
        sys.exit("fmnist_epoch_rss.py: train-images/labels: expected IDX magic 0x0803/0x0801 but got "
                 f"{images[:4].hex()}/{labels[:4].hex()}")
    count, rows, cols = (int.from_bytes(images[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    if int.from_bytes(labels[4:8], "big") != count or (rows, cols) != (28, 28):
        sys.exit(f"fmnist_epoch_rss.py: expected as many labels as 28×28 images but got {count} images of "
                 f"{rows}×{cols} and {int.from_bytes(labels[4:8], 'big')} labels")
    n = count if n <= 0 else min(n, count)
    x = torch.from_numpy(np.frombuffer(images, np.uint8, n * 784, 16).reshape(n, 1, 28, 28).astype(np.float32))
    x.div_(255)
    y = torch.from_numpy(np.frombuffer(labels, np.uint8, n, 8).astype(np.int64))
    return x, y


def main():
    network = arg("--network", "prescribed")
    if network not in ("prescribed", "resnet"):
        sys.exit(f"fmnist_epoch_rss.py: --network: expected prescribed or resnet but got {network!r}")
    try:
        images = int(arg("--images", "0"))
    except ValueError:
        sys.exit(f"fmnist_epoch_rss.py: --images: expected an integer but got {arg('--images', '')!r}")
    if images < 0:
        sys.exit(f"fmnist_epoch_rss.py: --images: expected ≥ 0 (0 = all) but got {images}")
    torch.set_num_threads(THREADS)
    torch.manual_seed(1)
    x, y = training_set(images)
    model = FashionMnistNet(network)
    trainer = Trainer(model, lr=RESNET_LR if network == "resnet" else LR)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(1))
    loss_sum = 0.0
    start = time.perf_counter()
    for i in range(0, len(y), BATCH):
        batch = order[i:i + BATCH]
        loss_sum += trainer.step(x[batch], y[batch]) * len(batch)
    seconds = time.perf_counter() - start
    print(json.dumps({"network": network, "images": len(y), "seconds": round(seconds, 3),
                      "loss": round(loss_sum / len(y), 4),
                      "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
