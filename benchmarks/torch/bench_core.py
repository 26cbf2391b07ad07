"""PyTorch twins of the core benchmarks (benchmarks/src/main/java/.../CoreTrainingStepBenchmark,
GradientFlowLayerBenchmark, ConvGradientFlowBenchmark, OpOverheadBenchmark).

Prints one JSON object: case name -> median microseconds per call.
Run through benchmarks/compare.sh, which sets the thread counts on both sides.
"""
import json
import sys

import torch
import torch.nn.functional as F

from timing import timed




def gradient_flow_layer(width):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(256, width, generator=g, requires_grad=True)
    a = (torch.randn(width, width, generator=g) / width ** 0.5).requires_grad_()
    b = torch.randn(width, generator=g, requires_grad=True)
    h = torch.tensor(0.1, requires_grad=True)

    def step():
        y = x - h * F.leaky_relu(x @ a.T + b, 0.5) @ a
        torch.autograd.grad(y.sum(), (x, a, b, h))
    return step


def conv_flow_layer(backward):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(64, 32, 28, 28, generator=g, requires_grad=backward)
    k = (torch.randn(32, 32, 3, 3, generator=g) / 17).requires_grad_(backward)
    b = torch.randn(32, generator=g, requires_grad=backward)
    h = torch.tensor(0.1, requires_grad=backward)
    # the transposed convolution written as conv2d with the flipped, transposed kernel: Debian's
    # conv_transpose2d has no fast path (shared/REPRODUCTION-NOTES.md), this is the fastest form; on the
    # 2.x CPU build (torch-venv.sh) it is as fast as conv_transpose2d, or faster (a hand check, fwd+bwd)
    def step():
        z = F.leaky_relu(F.conv2d(x, k, b, padding=1), 0.5)
        y = x - h * F.conv2d(z, k.flip(2, 3).transpose(0, 1), padding=1)
        if backward:
            torch.autograd.grad(y.sum(), (x, k, b, h))
    return step


class GradientFlowNetwork(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lift = torch.nn.Linear(2, 8)
        self.a = torch.nn.ParameterList([torch.nn.Parameter(torch.linalg.qr(torch.randn(8, 8))[0]) for _ in range(10)])
        self.b = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(8)) for _ in range(10)])
        self.h = torch.nn.ParameterList([torch.nn.Parameter(torch.tensor(0.1)) for _ in range(10)])
        self.head = torch.nn.Linear(8, 2)

    def forward(self, x):
        z = self.lift(x)
        for a, b, h in zip(self.a, self.b, self.h):
            z = z - h * F.leaky_relu(z @ a.T + b, 0.5) @ a
        return self.head(z)


def train_step(model):
    torch.manual_seed(1)
    x = torch.randn(256, 2)
    y = (x[:, 0] * x[:, 1] > 0).long()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return step


def main():
    torch.manual_seed(1)
    quick = "--quick" in sys.argv
    if "--threads" in sys.argv:
        torch.set_num_threads(int(sys.argv[sys.argv.index("--threads") + 1]))
    t = 0.2 if quick else 0.5
    x = torch.randn(256, 8)
    y = torch.randn(256, 8)
    w = torch.randn(8, 8)
    with torch.no_grad():
        out = {
            "op_add_256x8": timed(lambda: x + y, t),
            "op_matmul_256x8x8": timed(lambda: x @ w, t),
            "op_tanh_256x8": timed(lambda: torch.tanh(x), t),
        }
    out["gradflow_layer_fwd_bwd_w8"] = timed(gradient_flow_layer(8), t)
    out["gradflow_layer_fwd_bwd_w128"] = timed(gradient_flow_layer(128), t)
    mlp = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(),
                              torch.nn.Linear(64, 2))
    out["mlp_train_step"] = timed(train_step(mlp), t)
    out["gradflow10_train_step"] = timed(train_step(GradientFlowNetwork()), t)
    with torch.no_grad():
        out["conv_flow_layer_fwd"] = timed(conv_flow_layer(False), 2 * t, 3)
    out["conv_flow_layer_fwd_bwd"] = timed(conv_flow_layer(True), 2 * t, 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
