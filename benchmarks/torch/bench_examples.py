"""PyTorch twins of one full training step of three example networks of structflow.

One step is: zero_grad, forward, loss, backward, Adam step, then the constraint projections that
the Java optimiser (core/.../optim/Optimizer.step) applies after every step. Cases:

  planar_train_step   PlanarClassifier, Family.ALTERNATING, Settings.defaults() (float32):
                      zero-padding lift 2→4, DynamicalBlock.prescribed of 5 contractive/expansive
                      pairs, S = 2 sub-steps, LeakyReLU(0.5), A = expm(W − Wᵀ), steps (h₁, h₂)
                      projected onto the non-expansive region R of [CMOSS] (3.10) and then
                      h₁ ≥ 0.2 (ContractiveStepFloor), linear head 4→2; cross-entropy; Adam 1e-2;
                      batch 256.
  sir_train_step      MassPreservingNetwork of SirExperiment.Config.defaults (d = 3, n = 6, 9
                      layers, hidden 10, h = 0.1); MSE; Adam 1e-2; batch 32 of points on the
                      simplex.
  sympnet_train_step  G-SympNet of PendulumExperiment.build(SYMPNET, Config.defaults): d = 1, 8
                      gradient modules of width 32, tanh, UP/LOW alternating (float32); MSE;
                      Adam 1e-3; batch 256 of (q, p) pairs.

All three in float32, as the Java side (benchmarks/.../ExampleTraining) builds them (the `sir`
command itself defaults to float64). Inputs are random points of each example's input set; targets
of the two flow-map fits come from RK4 as in SirSystem/PendulumSystem.flow.

Usage:
  bench_examples.py [--quick] [--threads N] [--cases planar,sir,sympnet]   one JSON object {case: µs}
  bench_examples.py --check [--cases ...]    trains each twin a few dozen steps, asserts that the
                                             loss falls and the constraints hold (stderr only)
Run through benchmarks/compare.sh, which sets the thread counts on both sides.
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from timing import timed




# ---------------------------------------------------------------------------------------------
# planar: the alternating classifier of [CMOSS] §1.1
# ---------------------------------------------------------------------------------------------

def _round32(v):
    return float(np.float32(v))


def _next_down32(v):
    return float(np.nextafter(np.float32(v), np.float32(-np.inf)))


class NonExpansiveStepRegion:
    """R of [CMOSS] (3.10) with S sub-steps: h₁, h₂ ≥ 0 and (1 + h₂/S)·√(1 − 2(h₁/S)a + (h₁/S)²) ≤ 1.

    The projection is the Euclidean nearest point (the closer of the bottom edge h₂ = 0 and the
    boundary curve h₂ = S·φ(h₁/S)), rounded to float32 and nudged inward until the stored pair is
    in R, as constraints/.../project/NonExpansiveStepRegion + Hypograph do. Java samples the curve
    at 2048 points and refines the best one by 120 golden-section steps in scalar code; here all
    outside pairs are searched at once on the same 2048 samples (precomputed), then refined on
    three nested 256-point grids down to ≈ 5e-10, below float32's round-off, so the stored result
    is the same nearest point (checked against a 2·10⁶-point brute force: equal to 2e-16).
    """

    def __init__(self, a, substeps, samples=2048, refine=256, levels=3):
        self.a, self.s = a, substeps
        self.t_hi = 2 * a * substeps
        self.levels = levels
        self.samples_t = torch.linspace(0, self.t_hi, samples, dtype=torch.float64)
        self.samples_h2 = self.boundary(self.samples_t)
        self.refine = torch.linspace(-1, 1, refine, dtype=torch.float64)

    def boundary(self, h1):
        """h₂ = S·φ(h₁/S) = h₁(2a − h₁/S) / (ρ(1 + ρ)), ρ = √((h₁/S − a)² + 1 − a²), for 0 ≤ h₁ ≤ 2aS
        (0 at both ends; written without the cancellation of 1/ρ − 1, as Java does)."""
        root = ((h1 / self.s - self.a) ** 2 + (1 - self.a * self.a)).sqrt_()
        return h1 * (2 * self.a - h1 / self.s) / (root * (1 + root))

    def contains(self, h1, h2):
        t = h1 / self.s
        return (h1 >= 0) & (h2 >= 0) & ((1 + h2 / self.s) * torch.sqrt(1 - 2 * t * self.a + t * t) <= 1)

    def _contains_scalar(self, h1, h2):
        t = h1 / self.s
        return h1 >= 0 and h2 >= 0 and (1 + h2 / self.s) * math.sqrt(1 - 2 * t * self.a + t * t) <= 1

    def nearest(self, x, y):
        """Nearest points of R to the pairs (x, y) ([k] float64 each), [k, 2] float64."""
        x, y = x[:, None], y[:, None]
        i = ((self.samples_t - x) ** 2 + (self.samples_h2 - y) ** 2).argmin(1, keepdim=True)
        t = self.samples_t[i]
        radius = self.t_hi / (self.samples_t.numel() - 1)
        for _ in range(self.levels):  # nested grids around the best point, each 2/255 of the last
            grid = (t + radius * self.refine).clamp_(0, self.t_hi)
            i = ((grid - x) ** 2 + (self.boundary(grid) - y) ** 2).argmin(1, keepdim=True)
            t = grid.gather(1, i)
            radius *= 2 / (self.refine.numel() - 1)
        # the closer of the curve point and the bottom edge (the sides of R meet the curve at h₂ = 0)
        curve = torch.cat((t, self.boundary(t)), 1)
        bottom = torch.cat((x.clamp(0, self.t_hi), torch.zeros_like(y)), 1)
        point = torch.cat((x, y), 1)
        closer = ((curve - point) ** 2).sum(1, keepdim=True) < ((bottom - point) ** 2).sum(1, keepdim=True)
        return torch.where(closer, curve, bottom)

    def _stored(self, t, s):
        """Java's Hypograph.storedNearest: round to float32, then step s, then t, inward by doubling ulps."""
        t = min(max(_round32(t), 0.0), self.t_hi)
        s = max(_round32(s), 0.0)
        middle, ds, dt = self.t_hi / 2, 0.0, 0.0
        for _ in range(4096):
            if self._contains_scalar(t, s):
                return t, s
            if s > 0:
                ds = max(2 * ds, s - _next_down32(s))
                s = max(0.0, _round32(s - ds))
            else:
                dt = max(2 * dt, abs(t - _next_down32(t)))
                t = _round32(max(middle, t - dt) if t > middle else min(middle, t + dt))
        raise RuntimeError("could not round the projection into R")

    @torch.no_grad()
    def project_(self, steps):
        """Moves every pair (row of `steps`, [pairs, 2], float32) outside R onto R, in place; returns how many."""
        h = steps.double()
        outside = ~self.contains(h[:, 0], h[:, 1])
        if not outside.any():
            return 0
        rows = outside.nonzero().squeeze(1)
        near = self.nearest(h[rows, 0], h[rows, 1])
        stored = near.to(steps.dtype)
        back = stored.double()
        ok = self.contains(back[:, 0], back[:, 1])
        if not ok.all():  # rounding left a pair just outside: nudge it in (rare)
            for k in (~ok).nonzero().squeeze(1).tolist():
                stored[k] = torch.tensor(self._stored(*near[k].tolist()))
        steps[rows] = stored
        return len(rows)


class PlanarClassifier(nn.Module):
    """N(x) = head(Ψ_L ∘ … ∘ Ψ_1(Lx)), L x = (x₁, x₂, 0, 0); pair i: S sub-steps of x − (h₁/S)·Aᵀσ(Ax + b)
    (contractive field i), then S sub-steps of x + (h₂/S)·Aᵀσ(Ax + b) (expansive field i), A = expm(W − Wᵀ).

    The raw weights of the 2·pairs fields are one stacked parameter [2·pairs, n, n] (order c₀, e₀, c₁,
    e₁, …) so that all A come from one batched matrix_exp per forward; Java keeps one W per field and
    evaluates expm in every sub-step (2S per pair), the twin once per field.
    """

    def __init__(self, width=4, pairs=5, slope=0.5, substeps=2, weight_std=0.1, h1=1.0, h2=0.15, floor=0.2):
        super().__init__()
        self.width, self.slope, self.substeps = width, slope, substeps
        self.raw = nn.Parameter(torch.randn(2 * pairs, width, width) * weight_std)
        self.bias = nn.Parameter(torch.empty(2 * pairs, width).uniform_(-0.1, 0.1))
        self.steps = nn.Parameter(torch.tensor([[h1, h2]] * pairs))
        self.head = nn.Linear(width, 2)
        # sign / S per step entry: −1 contractive (h₁), +1 expansive (h₂)
        self.register_buffer("signs", torch.tensor([-1.0, 1.0]) / substeps)
        self.region = NonExpansiveStepRegion(slope, substeps)
        self.floor = float(np.float32(floor))  # δ stored in float32 is ≥ δ (0.2 rounds up)
        self.project_()

    def forward(self, x):
        z = F.pad(x, (0, self.width - x.shape[1]))
        a_all = torch.linalg.matrix_exp(self.raw - self.raw.transpose(1, 2))
        taus = (self.steps * self.signs).reshape(-1).unbind()
        for a, b, tau in zip(a_all.unbind(), self.bias.unbind(), taus):
            for _ in range(self.substeps):
                z = z + tau * (F.leaky_relu(F.linear(z, a, b), self.slope) @ a)
        return self.head(z)

    @torch.no_grad()
    def project_(self):
        """The step constraints in attach order: R, then h₁ ≥ δ. Returns the number of pairs R moved."""
        moved = self.region.project_(self.steps)
        self.steps[:, 0].clamp_(min=self.floor)
        return moved

    @torch.no_grad()
    def violation(self):
        h = self.steps.double()
        in_r = self.region.contains(h[:, 0], h[:, 1])
        return (~in_r).sum().item(), (self.floor - h[:, 0]).clamp(min=0).max().item()


def planar_case(seed=1):
    torch.manual_seed(seed)
    model = PlanarClassifier()
    # uniform points of the unit disc, label 1 inside radius 1/√2 (as PlanarData.disc, random not Halton)
    u, v = torch.rand(256), torch.rand(256)
    x = torch.stack((u.sqrt() * torch.cos(2 * math.pi * v), u.sqrt() * torch.sin(2 * math.pi * v)), 1)
    y = (u < 0.5).long()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        model.project_()
        return loss

    def check(losses):
        bad_pairs, floor_gap = model.violation()
        assert bad_pairs == 0, f"planar: {bad_pairs} step pairs outside R"
        assert floor_gap == 0, f"planar: h1 below the floor by {floor_gap}"
        a = torch.linalg.matrix_exp(model.raw - model.raw.transpose(1, 2)).double()
        err = (a.transpose(1, 2) @ a - torch.eye(model.width, dtype=torch.float64)).abs().max().item()
        assert err < 1e-5, f"planar: A not orthogonal ({err})"
    return step, check, model


# ---------------------------------------------------------------------------------------------
# SIR: the mass-preserving network of [CMOSS] §4.3
# ---------------------------------------------------------------------------------------------

class MassPreservingField(nn.Module):
    """f(y) = (A(y) − A(y)ᵀ)𝟏, A(y) = reshape_{n×n}(W₂ tanh(W₁y + b₁) + b₂): row sums minus column sums."""

    def __init__(self, n, hidden):
        super().__init__()
        self.n = n
        self.inner = nn.Linear(n, hidden)
        self.outer = nn.Linear(hidden, n * n)

    def forward(self, y):
        a = self.outer(torch.tanh(self.inner(y))).view(-1, self.n, self.n)
        return a.sum(2) - a.sum(1)


class MassPreservingNetwork(nn.Module):
    """Φ = P ∘ Ψ_L ∘ … ∘ Ψ_1 ∘ L: zero-padding lift d → n, Euler layers z + h_k f_k(z) with learnable h_k
    (unconstrained, as in Java), projection P(z)ᵢ = zᵢ + (1/d) Σ_{j>d} z_j."""

    def __init__(self, dimension=3, width=6, depth=9, hidden=10, step=0.1):
        super().__init__()
        self.d, self.n = dimension, width
        self.fields = nn.ModuleList(MassPreservingField(width, hidden) for _ in range(depth))
        self.steps = nn.ParameterList(nn.Parameter(torch.tensor([step])) for _ in range(depth))

    def forward(self, x):
        z = F.pad(x, (0, self.n - self.d))
        for f, h in zip(self.fields, self.steps):
            z = z + h * f(z)
        return z[:, :self.d] + z[:, self.d:].sum(1, keepdim=True) / self.d


def sir_flow(x, t=1.0, beta=2.0, gamma=1.0, steps=100):
    """φ_t of S' = −βSI, I' = βSI − γI, R' = γI by RK4 (SirSystem.flow, 100 steps per unit time)."""
    def f(u):
        s, i = u[:, :1], u[:, 1:2]
        inf, rec = beta * s * i, gamma * i
        return torch.cat((-inf, inf - rec, rec), 1)
    h = t / steps
    for _ in range(steps):
        k1 = f(x)
        k2 = f(x + h / 2 * k1)
        k3 = f(x + h / 2 * k2)
        k4 = f(x + h * k3)
        x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return x


def sir_case(seed=1):
    torch.manual_seed(seed)
    model = MassPreservingNetwork()
    # uniform on the simplex (SirSystem.sampleSimplex): sorted uniforms as cut points
    cuts = torch.rand(32, 2, dtype=torch.float64).sort(1).values
    x = torch.cat((cuts[:, :1], cuts[:, 1:] - cuts[:, :1], 1 - cuts[:, 1:]), 1)
    y = sir_flow(x).float()
    x = x.float()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss

    def check(losses):
        with torch.no_grad():
            err = (model(x).sum(1) - x.sum(1)).abs().max().item()
        assert err < 1e-5, f"sir: mass not kept ({err})"
    return step, check, model


# ---------------------------------------------------------------------------------------------
# SympNet: the pendulum G-SympNet of [CMOSS] §4.1
# ---------------------------------------------------------------------------------------------

class GradientModule(nn.Module):
    """Shift s(u) = Kᵀ diag(a) σ(Ku + b); K [width, d] Xavier-uniform, a ~ N(0, 1/width), b = 0."""

    def __init__(self, dimension, width):
        super().__init__()
        self.kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(width, dimension)))
        self.scale = nn.Parameter(torch.randn(width) / math.sqrt(width))
        self.bias = nn.Parameter(torch.zeros(width))

    def forward(self, u):
        return (torch.tanh(F.linear(u, self.kernel, self.bias)) * self.scale) @ self.kernel


class SympNet(nn.Module):
    """Modules alternate UP (p ← p + s(q)) and LOW (q ← q + s(p)), starting with UP. The halves are
    kept apart through the network and concatenated once at the end (Java slices and concatenates
    [q, p] in every module)."""

    def __init__(self, dimension=1, modules=8, width=32):
        super().__init__()
        self.d = dimension
        self.layers = nn.ModuleList(GradientModule(dimension, width) for _ in range(modules))

    def forward(self, x):
        q, p = x[:, :self.d], x[:, self.d:]
        for i, m in enumerate(self.layers):
            if i % 2 == 0:
                p = p + m(q)
            else:
                q = q + m(p)
        return torch.cat((q, p), 1)


def pendulum_flow(x, h=0.1, substeps=10):
    """φ_h of q' = p, p' = −sin q (H = p²/2 − cos q) by RK4 with 10 sub-steps (PendulumSystem.flow)."""
    def f(u):
        return torch.stack((u[:, 1], -torch.sin(u[:, 0])), 1)
    tau = h / substeps
    for _ in range(substeps):
        k1 = f(x)
        k2 = f(x + tau / 2 * k1)
        k3 = f(x + tau / 2 * k2)
        k4 = f(x + tau * k3)
        x = x + tau / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return x


def sympnet_case(seed=1):
    torch.manual_seed(seed)
    model = SympNet()
    # the training box [−π, π] × [−1.5, 1.5] (PendulumSystem.sampleBox)
    x = (torch.rand(256, 2, dtype=torch.float64) * 2 - 1) * torch.tensor([math.pi, 1.5], dtype=torch.float64)
    y = pendulum_flow(x).float()
    x = x.float()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss

    def check(losses):
        # exact symplecticity JᵀΩJ = Ω of the trained map at a few points
        omega = torch.tensor([[0.0, 1.0], [-1.0, 0.0]], dtype=torch.float64)
        net = model.double()
        for point in x[:4].double():
            j = torch.autograd.functional.jacobian(lambda u: net(u[None])[0], point)
            err = (j.T @ omega @ j - omega).abs().max().item()
            assert err < 1e-10, f"sympnet: not symplectic ({err})"
        model.float()
    return step, check, model


CASES = {
    "planar_train_step": planar_case,
    "sir_train_step": sir_case,
    "sympnet_train_step": sympnet_case,
}


def selected_cases(argv):
    if "--cases" not in argv:
        return list(CASES)
    names = []
    for name in argv[argv.index("--cases") + 1].split(","):
        full = name if name in CASES else name + "_train_step"
        if full not in CASES:
            raise SystemExit(f"--cases: expected a subset of {','.join(CASES)} (or planar, sir, sympnet) "
                             f"but got {name}")
        names.append(full)
    return names


def run_checks(names, steps=60):
    for name in names:
        step, check, model = CASES[name]()
        losses = [step().item() for _ in range(steps)]
        moved = 0
        if isinstance(model, PlanarClassifier):
            # the projections are exercised: push every pair outside R and h₁ under the floor, re-project
            with torch.no_grad():
                model.steps.copy_(torch.tensor([[3.0, 0.5], [0.1, 0.4], [1.0, 2.0], [-0.5, -0.1], [0.05, 0.0]]))
            moved = model.project_()
            check(losses)
            losses += [step().item() for _ in range(steps)]
        check(losses)
        first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
        print(f"{name}: loss {losses[0]:.4g} -> {losses[-1]:.4g} over {len(losses)} steps"
              + (f", forced projection moved {moved} pairs, steps now {model.steps.tolist()}" if moved else ""),
              file=sys.stderr)
        assert last < first, f"{name}: loss did not fall ({first} -> {last})"
    print("all checks passed", file=sys.stderr)


def main():
    argv = sys.argv[1:]
    if "--threads" in argv:
        torch.set_num_threads(int(argv[argv.index("--threads") + 1]))
    names = selected_cases(argv)
    if "--check" in argv:
        run_checks(names)
        return
    t = 0.2 if "--quick" in argv else 0.5
    out = {}
    for name in names:
        step, _, _ = CASES[name]()
        out[name] = timed(step, t)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
