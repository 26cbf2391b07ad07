"""PyTorch twins of benchmarks/src/main/java/io/structflow/benchmarks/LayerFamilyBenchmark.java.

One layer of each family at batch 256, widths 8 and 128, float32:

  contractive  FlowLayer.fixedStep(ContractiveGradientField.orthogonal(w, w, LeakyReLU(0.5)), ExplicitEuler, h = 0.5)
               y = x − h·Aᵀσ(Ax + b),  A = expm(W − Wᵀ) recomputed in every forward pass
  expansive    the same with ExpansiveGradientField and h = 0.1:  y = x + h·Aᵀσ(Ax + b)
  mass         MassPreservingField(w, w, tanh) × ExplicitEuler, h = 0.1:
               y = x + h·(A(x) − A(x)ᵀ)𝟏,  A(x) = reshape_{w×w}(W₂ tanh(W₁x + b₁) + b₂)
  hamiltonian  SeparableHamiltonianField(w, w, tanh) × StormerVerlet, h = 0.1, x = [q, p], d = w/2:
               p½ = p − (h/2)∂U/∂q(q),  q' = q + h ∂K/∂p(p½),  p' = p½ − (h/2)∂U/∂q(q')
               ∂K/∂p = Aᵀ(u ⊙ tanh(Ap + a)),  ∂U/∂q = Bᵀ(v ⊙ tanh(Bq + b))   (closed forms, as in Java)
  sympnet      GradientModule, UP half, d = w/2 (see below): (q, p) ↦ (q, p + Kᵀ diag(a) tanh(Kq + b))
  sphere       TriangularSkewField(w, w, tanh) × CayleyHeun, h = 0.1:
               S(z) = A(z) − A(z)ᵀ, strict upper triangle of A(z) = B tanh(Cz + b) row by row;
               S₁ = S(x), x̃ = cay(hS₁)x, S₂ = S(x̃), y = cay(h(S₁ + S₂)/2)x,  cay(M)x = (I − M/2)⁻¹(x + Mx/2)
  resnet       ResNetBlock.dense(w, w):  y = x + Aᵀ ReLU(Bx + b)

Cases `layer_<family>_fwd_w<width>` (forward under torch.no_grad) and `layer_<family>_fwd_bwd_w<width>`
(forward, then the gradients of output.sum() with respect to the input and every parameter).
Prints one JSON object {case: µs}.

  python3 benchmarks/torch/bench_layers.py [--quick] [--threads N] [--families a,b] [--dense-embedding]
  python3 benchmarks/torch/bench_layers.py --check [--families a,b]

--check builds every twin in float64 and prints, as one JSON object, the residual of each layer's
defining property on random input (see `check()`); it exits with status 1 if one exceeds its tolerance.

Where the twins differ from the Java layers (see also the comments at each class):
- The fixed step h is a Python float. Java's FlowLayer.fixedStep holds h in a Parameter that is not
  registered but still requires grad, so Java's backward also computes an unused ∂h (one extra
  [batch, m] product and reduction for the fused Euler step, a few scalar reductions elsewhere).
- Initial values follow the same distributions but not the same random streams (Java's
  SplittableRandom cannot be reproduced here); no timing depends on the values.
- sympnet: the Java benchmark builds GradientModule(width, width, ...), which expects a
  [batch, 2·width] state but is given [batch, width], so it throws at the first forward. The
  twin uses d = width/2 (state [batch, width], hidden width = width, K [width, width/2]), the
  sizes of the Hamiltonian layer; the Java case should become new GradientModule(width / 2, width, ...).
- sphere: Java fills S(z) by multiplying v(z) [batch, w(w−1)/2] with a constant dense 0/±1
  embedding [w(w−1)/2, w²] (at w = 128: 8128 × 16384, 532 MB in float32, ~3.4·10¹⁰ multiply-adds
  per evaluation of S). The twin scatters (v, −v) into the two triangles (the same S, what a
  PyTorch user writes); --dense-embedding times Java's embedding product instead. Java also
  checks max|S + Sᵀ| on the host at every stage (validation, not arithmetic; the twin skips it),
  and solves the Cayley systems by Gaussian elimination in float64 whatever the tensor type
  (the twin: torch.linalg.solve, LAPACK LU, in the tensor's type).
- contractive/expansive: Java's expm runs in float64 (degree-18 Taylor, scaling and squaring),
  torch.linalg.matrix_exp in float32 (degree ≤ 18 Taylor); both backward passes take the
  exponential of the 2k×2k block [[Sᵀ, G], [0, Sᵀ]]. Java's Euler step is one fused kernel with
  a hand-written backward of 4 gemms; the twin is the composed step, whose autograd backward
  runs the same 4 gemms.
"""
import json
import math
import os
import sys

if "--threads" in sys.argv:  # before torch loads OpenBLAS/OpenMP
    _n = sys.argv[sys.argv.index("--threads") + 1]
    for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_v, _n)

import torch
import torch.nn.functional as F
from torch import nn

from timing import timed

FAMILIES = ("contractive", "expansive", "mass", "hamiltonian", "sympnet", "sphere", "resnet")
BATCH = 256
WIDTHS = (8, 128)




def uniform(lo, hi, *shape):
    return nn.Parameter(torch.empty(*shape).uniform_(lo, hi))


def orthogonal(rows, cols):
    return nn.Parameter(nn.init.orthogonal_(torch.empty(rows, cols)))


def log_cosh(z):
    """Γ of tanh: log cosh z = softplus(2z) − z − log 2 (Java's Activation.Tanh.antiderivative)."""
    return F.softplus(2 * z) - z - math.log(2)


class DenseGradientFlow(nn.Module):
    """Explicit Euler step of the dense gradient field s·Aᵀσ(Ax + b), σ = LeakyReLU(0.5),
    A = expm(W − Wᵀ) cut to [m, n] (ExponentialOrthogonal): s = −1 contractive, +1 expansive.
    Parameters W [m, n] ~ N(0, 0.1²), b [m] ~ U(−0.1, 0.1)."""

    def __init__(self, n, m, sign, h):
        super().__init__()
        self.sign, self.h = sign, h
        self.w = nn.Parameter(0.1 * torch.randn(m, n))
        self.b = uniform(-0.1, 0.1, m)

    def weight(self):
        m, n = self.w.shape
        k = max(m, n)
        w = self.w if m == n else F.pad(self.w, (0, k - n, 0, k - m))
        return torch.linalg.matrix_exp(w - w.T)[:m, :n]

    def gradient(self, x, a):
        """∇V(x) = Aᵀσ(Ax + b), closed form (DenseGradientField.gradient)."""
        return F.leaky_relu(F.linear(x, a, self.b), 0.5) @ a

    def potential(self, x):
        """V(x) = 𝟏ᵀΓ(Ax + b), Γ(z) = ½·z·σ(z) (for --check only)."""
        z = F.linear(x, self.weight(), self.b)
        return (0.5 * z * F.leaky_relu(z, 0.5)).sum(1)

    def forward(self, x):
        return x + (self.sign * self.h) * self.gradient(x, self.weight())


class MassPreservingEuler(nn.Module):
    """Explicit Euler step of the mass-preserving field (A(x) − A(x)ᵀ)𝟏 of [CMOSS] (4.2);
    inner Linear(n, m), outer Linear(m, n²) (nn.Linear's init = Java's Linear init)."""

    def __init__(self, n, m, h):
        super().__init__()
        self.n, self.h = n, h
        self.inner = nn.Linear(n, m)
        self.outer = nn.Linear(m, n * n)

    def forward(self, x):
        a = self.outer(torch.tanh(self.inner(x))).view(-1, self.n, self.n)
        return x + self.h * (a.sum(2) - a.sum(1))


class HamiltonianVerlet(nn.Module):
    """Störmer–Verlet step of the separable Hamiltonian H = uᵀΓ(Ap + a) + vᵀΓ(Bq + b), Γ = log cosh,
    on x = [q, p], d = width/2; A, B [m, d] orthogonal, a, b ~ U(−0.1, 0.1), u, v ~ U(−1, 1)."""

    def __init__(self, width, m, h):
        super().__init__()
        d = width // 2
        self.h = h
        self.A = orthogonal(m, d)
        self.a = uniform(-0.1, 0.1, m)
        self.u = uniform(-1, 1, m)
        self.B = orthogonal(m, d)
        self.b = uniform(-0.1, 0.1, m)
        self.v = uniform(-1, 1, m)

    def dKdp(self, p):
        return (torch.tanh(F.linear(p, self.A, self.a)) * self.u) @ self.A

    def dUdq(self, q):
        return (torch.tanh(F.linear(q, self.B, self.b)) * self.v) @ self.B

    def kinetic(self, p):
        return (log_cosh(F.linear(p, self.A, self.a)) * self.u).sum(1)

    def potential(self, q):
        return (log_cosh(F.linear(q, self.B, self.b)) * self.v).sum(1)

    def step(self, x, h):
        q, p = x.chunk(2, dim=1)
        p = p - (0.5 * h) * self.dUdq(q)
        q = q + h * self.dKdp(p)
        p = p - (0.5 * h) * self.dUdq(q)
        return torch.cat((q, p), 1)

    def forward(self, x):
        return self.step(x, self.h)

    def inverse(self, y):
        """Störmer–Verlet is symmetric: the step −h inverts it (FlowLayer.inverse)."""
        return self.step(y, -self.h)


class GradientModule(nn.Module):
    """SympNet gradient module, UP half: p ← p + Kᵀ diag(a) tanh(Kq + b) on x = [q, p];
    K [hidden, d] Xavier-uniform, a ~ N(0, 1/hidden), b = 0. d = width/2, see the module docstring."""

    def __init__(self, d, hidden):
        super().__init__()
        self.K = nn.Parameter(nn.init.xavier_uniform_(torch.empty(hidden, d)))
        self.a = nn.Parameter(torch.randn(hidden) / math.sqrt(hidden))
        self.b = nn.Parameter(torch.zeros(hidden))

    def shift(self, q):
        return (torch.tanh(F.linear(q, self.K, self.b)) * self.a) @ self.K

    def phi(self, q):
        """φ(q) = aᵀΓ(Kq + b), shift = ∇φ (for --check only)."""
        return (log_cosh(F.linear(q, self.K, self.b)) * self.a).sum(1)

    def forward(self, x):
        q, p = x.chunk(2, dim=1)
        return torch.cat((q, p + self.shift(q)), 1)

    def inverse(self, y):
        q, p = y.chunk(2, dim=1)
        return torch.cat((q, p - self.shift(q)), 1)


class SphereCayleyHeun(nn.Module):
    """Cayley–Heun step of the sphere-preserving field S(z)z, S = A − Aᵀ, A strictly upper triangular
    with entries v(z) = B tanh(Cz + b) (TriangularSkewField); C [k, n] ~ N(0, 1/n),
    b [k] ~ N(0, 0.1²), B [n(n−1)/2, k] ~ N(0, 1/k)."""

    def __init__(self, n, k, h, dense_embedding=False):
        super().__init__()
        self.n, self.h = n, h
        entries = n * (n - 1) // 2
        self.C = nn.Parameter(torch.randn(k, n) / math.sqrt(n))
        self.b = nn.Parameter(0.1 * torch.randn(k))
        self.B = nn.Parameter(torch.randn(entries, k) / math.sqrt(k))
        iu = torch.triu_indices(n, n, 1)  # row by row, the order Java fills the triangle in
        # flat positions of S's upper entries (i, j), then of their mirrors (j, i)
        self.register_buffer("index", torch.cat((iu[0] * n + iu[1], iu[1] * n + iu[0])).unsqueeze(0),
                             persistent=False)
        self.register_buffer("eye", torch.eye(n), persistent=False)
        self.dense_embedding = dense_embedding
        if dense_embedding:  # Java's constant [entries, n²] 0/±1 matrix: S = v·E
            e = torch.zeros(entries, n, n)
            r = torch.arange(entries)
            e[r, iu[0], iu[1]] = 1
            e[r, iu[1], iu[0]] = -1
            self.register_buffer("embedding", e.view(entries, n * n), persistent=False)

    def skew(self, z):
        v = F.linear(torch.tanh(F.linear(z, self.C, self.b)), self.B)
        if self.dense_embedding:
            return (v @ self.embedding).view(-1, self.n, self.n)
        # S = A − Aᵀ in one scatter of (v, −v) (the fastest of index_put + transpose, index_copy_
        # and scatter here: 12 ms against 43 ms forward at width 128)
        batch = z.shape[0]
        flat = v.new_zeros(batch, self.n * self.n).scatter(1, self.index.expand(batch, -1), torch.cat((v, -v), 1))
        return flat.view(batch, self.n, self.n)

    def cayley(self, m, x):
        """cay(M)x = (I − M/2)⁻¹(x + Mx/2), per sample."""
        half = 0.5 * m
        column = x.unsqueeze(-1)
        return torch.linalg.solve(self.eye - half, column + half @ column).squeeze(-1)

    def forward(self, x):
        s1 = self.skew(x)
        predictor = self.cayley(self.h * s1, x)
        s2 = self.skew(predictor)
        return self.cayley((0.5 * self.h) * (s1 + s2), x)


class ResNetBlock(nn.Module):
    """Plain dense residual block x + Aᵀ ReLU(Bx + b); A, B [hidden, n] orthogonal, b = 0."""

    def __init__(self, n, hidden):
        super().__init__()
        self.A = orthogonal(hidden, n)
        self.B = orthogonal(hidden, n)
        self.bias = nn.Parameter(torch.zeros(hidden))

    def forward(self, x):
        return x + F.relu(F.linear(x, self.B, self.bias)) @ self.A


def build(family, width, dtype=torch.float32, dense_embedding=False):
    """The layer LayerFamilyBenchmark.setUp builds for (family, width), seeded."""
    torch.manual_seed(1)
    layer = {
        "contractive": lambda: DenseGradientFlow(width, width, -1, 0.5),
        "expansive": lambda: DenseGradientFlow(width, width, +1, 0.1),
        "mass": lambda: MassPreservingEuler(width, width, 0.1),
        "hamiltonian": lambda: HamiltonianVerlet(width, width, 0.1),
        "sympnet": lambda: GradientModule(width // 2, width),
        "sphere": lambda: SphereCayleyHeun(width, width, 0.1, dense_embedding),
        "resnet": lambda: ResNetBlock(width, width),
    }[family]()
    return layer.to(dtype)


def cases(family, width, t, dense_embedding):
    layer = build(family, width, dense_embedding=dense_embedding)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(BATCH, width, generator=g, requires_grad=True)
    inputs = (x, *layer.parameters())

    def forward_backward():
        torch.autograd.grad(layer(x).sum(), inputs)

    with torch.no_grad():
        fwd = timed(lambda: layer(x), t)
    return {f"layer_{family}_fwd_w{width}": fwd,
            f"layer_{family}_fwd_bwd_w{width}": timed(forward_backward, t)}


# ----------------------------------------------------------------------------------------------
# --check: each twin's defining property in float64

def jacobians(f, x):
    """Per-sample Jacobians [batch, n_out, n_in] of a map acting row by row."""
    x = x.detach().requires_grad_()
    y = f(x)
    rows = [torch.autograd.grad(y[:, i].sum(), x, retain_graph=True)[0] for i in range(y.shape[1])]
    return torch.stack(rows, 1)


def input_gradient(scalar_per_sample, x):
    x = x.detach().requires_grad_()
    return torch.autograd.grad(scalar_per_sample(x).sum(), x)[0]


def symplectic_residual(layer, x):
    """max over samples of max|JᵀΩJ − Ω|, Ω = [[0, I], [−I, 0]]."""
    d = x.shape[1] // 2
    eye = torch.eye(d, dtype=x.dtype)
    omega = torch.cat((torch.cat((0 * eye, eye), 1), torch.cat((-eye, 0 * eye), 1)), 0)
    j = jacobians(layer, x)
    return (j.transpose(1, 2) @ omega @ j - omega).abs().max().item()


def spectral_norms(layer, x):
    return torch.linalg.matrix_norm(jacobians(layer, x), ord=2)


def check_family(family, width, batch=64):
    """{property: (residual, tolerance)} for one twin in float64."""
    layer = build(family, width, torch.float64)
    g = torch.Generator().manual_seed(2)
    x = 1.5 * torch.randn(batch, width, generator=g, dtype=torch.float64)
    with torch.no_grad():
        y = layer(x)
    out = {}
    if family in ("contractive", "expansive"):
        a = layer.weight().detach()
        out["orthogonality_max|AtA-I|"] = ((a.T @ a - torch.eye(width, dtype=a.dtype)).abs().max().item(), 1e-12)
        with torch.no_grad():
            analytic = layer.gradient(x, a)
        out["gradient_vs_autograd_of_V"] = ((analytic - input_gradient(layer.potential, x)).abs().max().item(), 1e-12)
        # explicit Euler on s·Aᵀσ(A·+b), ‖A‖ = 1, σ' ∈ [1/2, 1]: Jacobian I + s·h·AᵀDA has norm
        # ≤ 1 (contractive, h = 0.5 ≤ 2) and ≤ 1 + h (expansive)
        bound = 1.0 if family == "contractive" else 1.0 + layer.h
        out[f"lipschitz_excess_max(sigma_max(J))-{bound:g}"] = (spectral_norms(layer, x).max().item() - bound, 1e-12)
    elif family == "mass":
        drift = (y.sum(1) - x.sum(1)).abs() / x.abs().sum(1)
        out["mass_drift_max|sum(y)-sum(x)|/sum|x|"] = (drift.max().item(), 1e-13)
    elif family == "hamiltonian":
        d = width // 2
        q, p = x[:, :d], x[:, d:]
        with torch.no_grad():
            du, dk = layer.dUdq(q), layer.dKdp(p)
        out["dUdq_vs_autograd_of_U"] = ((du - input_gradient(layer.potential, q)).abs().max().item(), 1e-12)
        out["dKdp_vs_autograd_of_K"] = ((dk - input_gradient(layer.kinetic, p)).abs().max().item(), 1e-12)
        out["symplectic_max|JtOJ-O|"] = (symplectic_residual(layer, x), 1e-12)
        with torch.no_grad():
            out["inverse_max|x-step_-h(y)|"] = ((layer.inverse(y) - x).abs().max().item(), 1e-12)
    elif family == "sympnet":
        q = x[:, :width // 2]
        with torch.no_grad():
            s = layer.shift(q)
        out["shift_vs_autograd_of_phi"] = ((s - input_gradient(layer.phi, q)).abs().max().item(), 1e-12)
        out["symplectic_max|JtOJ-O|"] = (symplectic_residual(layer, x), 1e-12)
        with torch.no_grad():
            out["inverse_max|x-inv(y)|"] = ((layer.inverse(y) - x).abs().max().item(), 1e-12)
    elif family == "sphere":
        with torch.no_grad():
            s = layer.skew(x)
            out["skew_max|S+St|"] = ((s + s.transpose(1, 2)).abs().max().item(), 0.0)
            if width <= 8:  # Java's dense embedding is 1 GB in float64 at width 128
                dense = SphereCayleyHeun(width, width, 0.1, dense_embedding=True).double()
                dense.load_state_dict(layer.state_dict())
                out["scatter_vs_java_embedding_max|dS|"] = ((s - dense.skew(x)).abs().max().item(), 1e-12)
        drift = (y.norm(dim=1) - x.norm(dim=1)).abs() / x.norm(dim=1)
        out["norm_drift_max|‖y‖-‖x‖|/‖x‖"] = (drift.max().item(), 1e-13)
    elif family == "resnet":
        bound = 1 + (torch.linalg.matrix_norm(layer.A.detach(), ord=2)
                     * torch.linalg.matrix_norm(layer.B.detach(), ord=2)).item()
        out[f"lipschitz_excess_max(sigma_max(J))-(1+‖A‖‖B‖={bound:.3g})"] = (
            spectral_norms(layer, x).max().item() - bound, 1e-12)
    return out


def check(families):
    results, failed = {}, []
    for family in families:
        for width in (2, 8, 128):
            for prop, (residual, tol) in check_family(family, width).items():
                name = f"{family}_w{width}_{prop}"
                results[name] = residual
                if not residual <= tol:
                    failed.append(f"{name} = {residual:.3g} > {tol:g}")
    print(json.dumps(results, indent=1, ensure_ascii=False))
    for f in failed:
        print("FAILED " + f, file=sys.stderr)
    return not failed


def main():
    argv = sys.argv[1:]
    if "--threads" in argv:
        torch.set_num_threads(int(argv[argv.index("--threads") + 1]))
    families = FAMILIES
    if "--families" in argv:
        families = tuple(argv[argv.index("--families") + 1].split(","))
        unknown = [f for f in families if f not in FAMILIES]
        if unknown:
            sys.exit(f"--families: unknown {unknown}; expected a subset of {','.join(FAMILIES)}")
    if "--check" in argv:
        sys.exit(0 if check(families) else 1)
    t = 0.2 if "--quick" in argv else 0.5
    out = {}
    for family in families:
        for width in WIDTHS:
            out.update(cases(family, width, t, "--dense-embedding" in argv))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
