"""PyTorch twins of the Fashion-MNIST classifiers of structflow's robustness example ([CMOSS] §3.3,
layers/src/main/java/io/structflow/layers/models/RobustNetworks.java; examples/.../robust/RobustExperiment.train).

Cases, one full training step each (zero_grad, forward, loss, backward, optimiser step, projections)
at batch 64 of 1×28×28 images (random images and labels, fixed seed):
  fmnist_train_step         the PRESCRIBED switching network (Architecture.defaults): channels 8-16-32,
                            2 contractive/expansive pairs per stage, S = 2 Euler sub-steps,
                            σ = LeakyReLU(0.5), bounded lifts and head (|α| ≤ 1, ‖W‖₂ ≤ 1); loss
                            multi-class hinge (margin 0.15) + 1e-3 Σ_K ‖Conv(K, K) − I_r0‖²_F over the
                            12 field kernels; SGD lr 0.05 momentum 0.9; then every constraint projected
  fmnist_resnet_train_step  the RESNET baseline: plain 3×3 lifts, x + AᵀReLU(Bx + b) blocks, plain
                            dense head; hinge loss only, no projections

Prints one JSON object: case name -> median microseconds per step.

Flags: --quick (shorter runs), --threads N (torch.set_num_threads; set OMP_NUM_THREADS and
OPENBLAS_NUM_THREADS to the same N in the environment, as benchmarks/compare.sh does).
Needs python3-torch and python3-scipy (the conv operator norm uses scipy's ARPACK, see ConvOperatorNorm).

The RESNET baseline diverges at lr 0.05 (robustness example: NaN loss at 0.05; 0.01 diverges for some
seeds), so both sides time it at lr 0.005, where three seeds trained stably (62-69 % after one epoch);
the Java trainer would stop on the non-finite loss.

Where this twin differs from the Java network (all other sizes, inits, losses and constraints are the same):
- The conv operator norm uses ARPACK's implicitly restarted Lanczos (scipy eigsh) instead of the
  Java's explicitly restarted Lanczos: same Krylov dimension (20), same stopping rule (relative
  Ritz residual 1e-5), same warm start and same float32 products with float64 vectors; ARPACK
  keeps more of the Krylov space across restarts, so when it needs a restart it may use fewer
  products. Both use at least 20 products per estimate.
- The dense head's norm is the exact 2-norm (torch.linalg.matrix_norm, an SVD of the 10×1568 matrix
  in float64) instead of Lanczos on WᵀW to 1e-10: the same value, comparable (tiny) work.
- The step-region projection (nearest point of R, [CMOSS] (3.10)) samples the boundary curve with
  numpy (2048 points, then two refinements of 2048 points around the best) instead of 2048 samples
  plus 120 golden-section steps; it runs only for a pair outside R, as in the Java.
- Kᵀ (conv_transpose2d with padding 1) is written as conv2d with the flipped, transposed kernel,
  which is the same map for stride 1 and is ~5× faster on Debian's PyTorch
  (shared/REPRODUCTION-NOTES.md, bench_core.py).
- The Java checks every constrained parameter for NaN/∞ before projecting; this twin does not.
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from timing import timed

try:
    from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh
except ImportError:  # pragma: no cover - message for a machine without scipy
    sys.exit("bench_fmnist.py: scipy missing: apt-get install -y python3-scipy")

IMAGE = 28
CLASSES = 10
BATCH = 64
MARGIN = 0.15
ORTH_WEIGHT = 1e-3
LR = 0.05
RESNET_LR = 0.005
MOMENTUM = 0.9
NORM_SLACK = 1e-6  # SpectralNormBound's relative slack: rescale only when ‖K‖ > c(1 + 1e-6)




def transposed(k):
    """The kernel of Kᵀ as a conv2d: for stride 1 and padding (k−1)/2,
    conv_transpose2d(y, K, padding=1) == conv2d(y, K.flip(2, 3).transpose(0, 1), padding=1)."""
    return k.flip(2, 3).transpose(0, 1)


# ---------------------------------------------------------------------------------------------
# Norm estimates and projections (run after every optimiser step, like Parameter.projectInPlace)
# ---------------------------------------------------------------------------------------------

class ConvOperatorNorm:
    """‖conv2d(·, K)‖₂ of a 3×3, stride-1, padding-1 convolution on C×side×side images: the largest
    eigenvalue of KᵀK by ARPACK's Lanczos (scipy.sparse.linalg.eigsh), warm-started from the last
    eigenvector, Krylov dimension 20, relative Ritz residual 1e-5, about 300 products at most — the
    settings of the Java estimator (ConvOperatorNorm, NormEstimateSettings.convolution()). Power
    iteration would not do comparable work: the top singular values of a convolution cluster, and
    power iteration needs hundreds of products to reach 1e-5 where Lanczos needs a few dozen.
    Products in the kernel's type (float32), vectors in float64, as in the Java."""

    KRYLOV = 20
    TOLERANCE = 1e-5
    MAX_PRODUCTS = 300

    def __init__(self, side, seed=0):
        self.side = side
        self.rng = np.random.default_rng(seed)
        self.v = None
        self.products = 0  # products with KᵀK, all calls together

    def __call__(self, kernel):
        k = kernel.detach()
        if not torch.any(k != 0):
            return 0.0
        c = k.shape[1]
        n = c * self.side * self.side
        if self.v is None or self.v.shape[0] != n:
            self.v = self.rng.random(n) - 0.5
        kt = transposed(k).contiguous()
        shape = (1, c, self.side, self.side)

        def ktk(v):
            self.products += 1
            x = torch.from_numpy(v.reshape(shape)).to(k.dtype)
            return F.conv2d(F.conv2d(x, k, padding=1), kt, padding=1).reshape(-1).double().numpy()

        ncv = min(self.KRYLOV, n - 1)
        op = LinearOperator((n, n), matvec=ktk, dtype=np.float64)
        try:
            # maxiter counts implicit restarts, each adding ncv − 1 products: ≈ 300 products in all
            w, v = eigsh(op, k=1, which="LA", v0=self.v, ncv=ncv, tol=self.TOLERANCE,
                         maxiter=max(1, self.MAX_PRODUCTS // (ncv - 1)))
        except ArpackNoConvergence as e:  # keep the best lower bound, as the Java does at its cap
            if len(e.eigenvalues) == 0:
                x = self.v / np.linalg.norm(self.v)
                return math.sqrt(max(float(x @ ktk(x)), 0.0))
            w, v = e.eigenvalues, e.eigenvectors
        self.v = np.ascontiguousarray(v[:, 0])
        return math.sqrt(max(float(w[0]), 0.0))


@torch.no_grad()
def bound_conv_norm_(kernel, norm, bound=1.0):
    """SpectralNormBound: K ↦ K / max(1, ‖K‖₂ / c) (only when ‖K‖₂ > c(1 + 1e-6))."""
    s = norm(kernel)
    if s > bound * (1 + NORM_SLACK):
        kernel.mul_(bound / s)


@torch.no_grad()
def bound_dense_norm_(weight, bound=1.0):
    """SpectralNormBound.dense: W ↦ W / max(1, ‖W‖₂ / c), ‖W‖₂ exact (an SVD in float64)."""
    s = torch.linalg.matrix_norm(weight.double(), ord=2).item()
    if s > bound * (1 + NORM_SLACK):
        weight.mul_(bound / s)


class NonExpansiveStepRegion:
    """The region R of step pairs (h₁, h₂) of [CMOSS] (3.10) with S sub-steps:
    h₁, h₂ ≥ 0 and (1 + h₂/S)·√(1 − 2(h₁/S)a + (h₁/S)²) ≤ 1. A pair outside goes to its Euclidean
    nearest point of R (bottom edge h₂ = 0 or the boundary curve h₂ = S·φ(h₁/S)), rounded into the
    parameter's type and nudged inward until the stored pair is in R."""

    SAMPLES = 2048

    def __init__(self, a, substeps):
        self.a = a
        self.s = substeps
        self.h1_max = 2 * a * substeps

    def boundary(self, h1):
        h1 = np.asarray(h1, dtype=np.float64)
        t = h1 / self.s
        root = np.sqrt(1 - 2 * t * self.a + t * t)
        inside = (h1 > 0) & (h1 < self.h1_max)
        return np.where(inside, self.s * t * (2 * self.a - t) / (root * (1 + root)), 0.0)

    def contains(self, h1, h2):
        t = h1 / self.s
        return h1 >= 0 and h2 >= 0 and (1 + h2 / self.s) * math.sqrt(1 - 2 * t * self.a + t * t) <= 1

    def nearest(self, x, y):
        candidates = [(min(max(x, 0.0), self.h1_max), 0.0)]  # bottom edge (the sides are the points (0, 0), (2aS, 0))
        lo, hi = 0.0, self.h1_max
        for _ in range(3):  # sample the curve, then refine twice around the best sample
            t = np.linspace(lo, hi, self.SAMPLES)
            d = (t - x) ** 2 + (self.boundary(t) - y) ** 2
            i = int(np.argmin(d))
            step = (hi - lo) / (self.SAMPLES - 1)
            lo, hi = max(0.0, t[i] - step), min(self.h1_max, t[i] + step)
        candidates.append((float(t[i]), float(self.boundary(t[i]))))
        return min(candidates, key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)

    def stored_nearest(self, x, y):
        f32 = np.float32
        t, s = self.nearest(x, y)
        hi = float(f32(self.h1_max))
        hi = hi if hi <= self.h1_max else float(np.nextafter(f32(hi), f32(0)))
        t = min(max(float(f32(t)), 0.0), hi)
        s = max(float(f32(s)), 0.0)
        middle = self.h1_max / 2
        ds = dt = 0.0
        for _ in range(4096):
            if self.contains(t, s):
                return t, s
            if s > 0:
                ds = max(2 * ds, s - float(np.nextafter(f32(s), f32(-np.inf))))
                s = max(0.0, float(f32(s - ds)))
            else:
                dt = max(2 * dt, abs(t - float(np.nextafter(f32(t), f32(-np.inf)))))
                t = float(f32(max(middle, t - dt) if t > middle else min(middle, t + dt)))
        raise ArithmeticError(f"step region: could not round the projection of ({x}, {y}) into R")

    @torch.no_grad()
    def project_(self, steps):
        h = steps.tolist()
        moved = False
        for row in h:
            if not self.contains(row[0], row[1]):
                row[0], row[1] = self.stored_nearest(row[0], row[1])
                moved = True
        if moved:
            steps.copy_(torch.tensor(h, dtype=steps.dtype))


# ---------------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------------

class NormalisedConvLift(nn.Module):
    """α·conv3×3(x, W) (no bias), ‖W‖₂ ≤ 1 on side×side images, |α| ≤ 1 (NormalisedLinear.conv,
    Scale.AT_MOST_ONE). W starts orthogonal (flattened rows orthonormal), then projected."""

    def __init__(self, cin, cout, side):
        super().__init__()
        self.weight = nn.Parameter(nn.init.orthogonal_(torch.empty(cout, cin, 3, 3)))
        self.alpha = nn.Parameter(torch.ones(1))
        self.norm = ConvOperatorNorm(side)
        self.project_()

    def forward(self, x):
        return self.alpha * F.conv2d(x, self.weight, padding=1)

    @torch.no_grad()
    def project_(self):
        bound_conv_norm_(self.weight, self.norm)
        self.alpha.clamp_(-1, 1)


class NormalisedDenseHead(nn.Module):
    """α·Wx (no bias), ‖W‖₂ ≤ 1, |α| ≤ 1 (NormalisedLinear.dense, Scale.AT_MOST_ONE)."""

    def __init__(self, features, classes):
        super().__init__()
        self.weight = nn.Parameter(nn.init.orthogonal_(torch.empty(classes, features)))
        self.alpha = nn.Parameter(torch.ones(1))
        self.project_()

    def forward(self, x):
        return self.alpha * F.linear(x, self.weight)

    @torch.no_grad()
    def project_(self):
        bound_dense_norm_(self.weight)
        self.alpha.clamp_(-1, 1)


class PrescribedSwitchingBlock(nn.Module):
    """DynamicalBlock.prescribedConv: `pairs` pairs of S explicit Euler sub-steps on the contractive
    field −Kᵀσ(Kx + b) (step h₁/S), then S on the expansive field +Kᵀσ(Kx + b) (step h₂/S), each field
    with its own 3×3 kernel (c → c, ‖K‖₂ ≤ 1 on side×side images) and bias; the step pairs (h₁, h₂)
    in one [pairs, 2] parameter kept in the region R of (3.10)."""

    def __init__(self, channels, pairs, slope, substeps, side):
        super().__init__()
        self.slope = slope
        self.substeps = substeps
        self.region = NonExpansiveStepRegion(slope, substeps)
        n = 2 * pairs  # fields in order: pair 0 contractive, pair 0 expansive, pair 1 contractive, ...
        # ConvGradientField's bias U(−0.1, 0.1); its N(0, 1/(9C)) kernel is overwritten by the
        # orthogonal one of RobustNetworks.orthogonalInit, then projected into ‖K‖₂ ≤ 1
        self.kernels = nn.ParameterList(
            [nn.Parameter(nn.init.orthogonal_(torch.empty(channels, channels, 3, 3))) for _ in range(n)])
        self.biases = nn.ParameterList([nn.Parameter(torch.empty(channels).uniform_(-0.1, 0.1)) for _ in range(n)])
        h1 = slope * substeps
        h2 = min(0.5 * float(self.region.boundary(h1)), 1.0)
        self.steps = nn.Parameter(torch.tensor([[h1, h2]] * pairs))
        self.norms = [ConvOperatorNorm(side) for _ in range(n)]
        self.project_()

    def forward(self, x):
        for i in range(self.steps.shape[0]):
            taus = self.steps[i] / self.substeps
            for j, sign in ((2 * i, -1.0), (2 * i + 1, 1.0)):
                k, b, kt = self.kernels[j], self.biases[j], transposed(self.kernels[j])
                tau = sign * taus[j - 2 * i]
                for _ in range(self.substeps):
                    x = x + tau * F.conv2d(F.leaky_relu(F.conv2d(x, k, b, padding=1), self.slope), kt, padding=1)
        return x

    @torch.no_grad()
    def project_(self):
        self.region.project_(self.steps)
        for k, norm in zip(self.kernels, self.norms):
            bound_conv_norm_(k, norm)


class ResNetConvBlock(nn.Module):
    """ResNetBlock.conv: x + AᵀReLU(Bx + b), A and B 3×3 kernels c → c (orthogonal init), b zeros."""

    def __init__(self, channels):
        super().__init__()
        self.a = nn.Parameter(nn.init.orthogonal_(torch.empty(channels, channels, 3, 3)))
        self.b = nn.Parameter(nn.init.orthogonal_(torch.empty(channels, channels, 3, 3)))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        return x + F.conv2d(F.relu(F.conv2d(x, self.b, self.bias, padding=1)), transposed(self.a), padding=1)


class FashionMnistNet(nn.Module):
    """RobustNetworks.build(kind, Architecture.defaults, 10):
    head ∘ flatten ∘ stage₂ ∘ lift₂ ∘ pool ∘ stage₁ ∘ lift₁ ∘ pool ∘ stage₀ ∘ lift₀ on [batch, 1, 28, 28]."""

    def __init__(self, kind="prescribed", channels=(8, 16, 32), pairs=2, substeps=2, slope=0.5, classes=CLASSES):
        super().__init__()
        if kind not in ("prescribed", "resnet"):
            raise ValueError(f"network: expected prescribed or resnet but got {kind!r}")
        self.kind = kind
        layers = []
        cin = 1
        for stage, c in enumerate(channels):
            side = IMAGE >> stage
            if stage > 0:
                layers.append(nn.AvgPool2d(2))
            if kind == "prescribed":
                layers.append(NormalisedConvLift(cin, c, side))
                layers.append(PrescribedSwitchingBlock(c, pairs, slope, substeps, side))
            else:
                lift = nn.Conv2d(cin, c, 3, padding=1, bias=False)  # NormalisedLinear.plainConv
                nn.init.orthogonal_(lift.weight)
                layers.append(lift)
                layers.extend(ResNetConvBlock(c) for _ in range(2 * pairs))
            cin = c
        layers.append(nn.Flatten())
        features = channels[-1] * (IMAGE >> (len(channels) - 1)) ** 2
        if kind == "prescribed":
            layers.append(NormalisedDenseHead(features, classes))
        else:
            head = nn.Linear(features, classes, bias=False)  # NormalisedLinear.plainDense
            nn.init.orthogonal_(head.weight)
            layers.append(head)
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)

    def orthogonal_kernels(self):
        """The kernels of the orthogonality regulariser: the field kernels (none for the ResNet)."""
        return [k for m in self.layers if isinstance(m, PrescribedSwitchingBlock) for k in m.kernels]

    @torch.no_grad()
    def project_(self):
        """Every constraint, after each optimiser step (Optimizer.projectParameters)."""
        for m in self.layers:
            if hasattr(m, "project_"):
                m.project_()


class ConvOrthogonalityPenalty(nn.Module):
    """Σ_K ‖Conv(K, K) − I_r0‖²_F (Wang et al., CVPR 2020), stride 1: padding 2 for 3×3 kernels."""

    def __init__(self, kernels):
        super().__init__()
        self.kernels = list(kernels)
        self.targets = []
        for k in self.kernels:
            o = k.shape[0]
            target = torch.zeros(o, o, 5, 5, dtype=k.dtype)
            target[torch.arange(o), torch.arange(o), 2, 2] = 1
            self.targets.append(target)

    def forward(self):
        total = 0
        for k, target in zip(self.kernels, self.targets):
            total = total + (F.conv2d(k, k, padding=2) - target).square().sum()
        return total


class Trainer:
    """RobustExperiment.train's step: hinge loss (+ λ·orthogonality penalty when there are
    orthogonal kernels), SGD momentum, then the projections."""

    def __init__(self, model, lr=LR):
        self.model = model
        self.opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=MOMENTUM)
        kernels = model.orthogonal_kernels()
        self.penalty = ConvOrthogonalityPenalty(kernels) if kernels else None

    def step(self, x, y):
        self.opt.zero_grad()
        # F.multi_margin_loss: (1/B)Σ_b (1/C)Σ_{j≠y_b} max(0, m − s_{b,y_b} + s_{b,j}) = Losses.multiClassHinge
        loss = F.multi_margin_loss(self.model(x), y, margin=MARGIN)
        if self.penalty is not None:
            loss = loss + ORTH_WEIGHT * self.penalty()
        value = loss.item()  # the Java trainer reads the loss every step too
        loss.backward()
        self.opt.step()
        self.model.project_()
        return value


def train_step_case(kind):
    torch.manual_seed(1)
    model = FashionMnistNet(kind)
    trainer = Trainer(model, lr=RESNET_LR if kind == "resnet" else LR)
    x = torch.rand(BATCH, 1, IMAGE, IMAGE)
    y = torch.randint(0, CLASSES, (BATCH,))
    return lambda: trainer.step(x, y)


def main():
    torch.manual_seed(1)
    quick = "--quick" in sys.argv
    if "--threads" in sys.argv:
        torch.set_num_threads(int(sys.argv[sys.argv.index("--threads") + 1]))
    t = 0.5 if quick else 2.0
    out = {
        "fmnist_train_step": timed(train_step_case("prescribed"), t, 3, warmup=5),
        "fmnist_resnet_train_step": timed(train_step_case("resnet"), t, 3, warmup=5),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
