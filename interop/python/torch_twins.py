#!/usr/bin/env python3
"""PyTorch twins of structflow's example networks, for the parity tests of structflow-interop.

Each twin registers its parameters under structflow's dotted names (docs/interop.md has the map),
so a state dict moves between the two frameworks as a safetensors file with no renaming.

    torch_twins.py make NET DTYPE SEED DIR   build the twin with PyTorch's own initialisation (seeded),
                                             write DIR/weights.safetensors, a fixed input DIR/input.safetensors
                                             and the twin's output on it, DIR/output.safetensors
    torch_twins.py run NET DTYPE DIR         load DIR/weights.safetensors (strict: every name, shape and dtype),
                                             run it on DIR/input.safetensors, write DIR/output.safetensors and
                                             the state dict back to DIR/weights_back.safetensors

NET: planar | cpl | sympnet | denoiser; DTYPE: float32 | float64. The safetensors format (8-byte
little-endian header length, JSON header, raw little-endian data) is written and read here with
struct and json, as the `safetensors` package is not part of Debian's python3-torch.
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CODES = {torch.float32: "F32", torch.float64: "F64"}
NUMPY = {"F32": "<f4", "F64": "<f8"}


def save_safetensors(path, tensors):
    """Writes tensors (name -> tensor) with the header padded to 8 bytes, 8-byte types first."""
    names = sorted(tensors, key=lambda n: (-tensors[n].element_size(), n))
    header, blobs, offset = {}, [], 0
    for name in names:
        t = tensors[name].detach().contiguous()
        raw = t.numpy().astype(NUMPY[CODES[t.dtype]]).tobytes()
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-(8 + len(text))) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    buffer = data[8 + n:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        values = np.frombuffer(buffer[begin:end], dtype=NUMPY[entry["dtype"]]).copy()
        out[name] = torch.from_numpy(values).reshape(entry["shape"])
    return out


class GradientField(nn.Module):
    """s·Aᵀσ(Ax + b); with orthogonal=True the parameter is W and A = expm(W − Wᵀ) (square W)."""

    def __init__(self, n, m, sign, sigma, orthogonal):
        super().__init__()
        self.sign, self.sigma, self.orthogonal = sign, sigma, orthogonal
        self.register_parameter("W" if orthogonal else "A", nn.Parameter(torch.randn(m, n) * 0.1))
        self.b = nn.Parameter(torch.empty(m).uniform_(-0.1, 0.1))

    def weight(self):
        return torch.matrix_exp(self.W - self.W.T) if self.orthogonal else self.A

    def forward(self, x):
        a = self.weight()
        return self.sign * (self.sigma(x @ a.T + self.b) @ a)


class ConvGradientField(nn.Module):
    """s·Kᵀσ(Kx + b), K a 'same' convolution and Kᵀ its transpose."""

    def __init__(self, channels, hidden, k, sign, sigma):
        super().__init__()
        self.sign, self.sigma, self.padding = sign, sigma, k // 2
        self.K = nn.Parameter(torch.randn(hidden, channels, k, k) * 0.2)
        self.b = nn.Parameter(torch.empty(hidden).uniform_(-0.1, 0.1))

    def forward(self, x):
        z = self.sigma(F.conv2d(x, self.K, self.b, padding=self.padding))
        return self.sign * F.conv_transpose2d(z, self.K, padding=self.padding)


class EulerLayer(nn.Module):
    """x ↦ x + h f(x), h a learnable [1] step (structflow's FlowLayer with explicit Euler)."""

    def __init__(self, field, h):
        super().__init__()
        self.field = field
        self.h = nn.Parameter(torch.tensor([h]))

    def forward(self, x):
        return x + self.h * self.field(x)


class Pair(nn.Module):
    def __init__(self, n, slope):
        super().__init__()
        sigma = lambda z: F.leaky_relu(z, slope)
        self.contractive = GradientField(n, n, -1.0, sigma, True)
        self.expansive = GradientField(n, n, 1.0, sigma, True)


class AlternatingBlock(nn.Module):
    """[CMOSS] (3.11): pairs of contractive then expansive Euler layers, S sub-steps of h/S each."""

    def __init__(self, n, pairs, slope, substeps):
        super().__init__()
        self.substeps = substeps
        self.steps = nn.Parameter(torch.rand(pairs, 2))
        for i in range(pairs):
            self.add_module(str(i), Pair(n, slope))

    def forward(self, x):
        for i in range(self.steps.shape[0]):
            pair = getattr(self, str(i))
            for j, field in ((0, pair.contractive), (1, pair.expansive)):
                h = self.steps[i, j] * (1.0 / self.substeps)
                for _ in range(self.substeps):
                    x = x + h * field(x)
        return x


class Planar(nn.Module):
    """The planar classifier of [CMOSS] §1.1, alternating family: lift ℝ² → ℝ⁴, 5 pairs, S = 2, head."""

    def __init__(self):
        super().__init__()
        self.dynamics = AlternatingBlock(4, 5, 0.5, 2)
        self.head = nn.Linear(4, 2)

    def forward(self, x):
        return self.head(self.dynamics(F.pad(x, (0, 2))))


def cpl():
    """Linear 4 → 8, three CPL-style layers x − h Aᵀ ReLU(Ax + b) with A [16, 8], linear 8 → 3."""
    layers = [nn.Linear(4, 8)]
    layers += [EulerLayer(GradientField(8, 16, -1.0, F.relu, False), 1.5) for _ in range(3)]
    layers.append(nn.Linear(8, 3))
    return nn.Sequential(*layers)


class GradientModule(nn.Module):
    """A SympNet gradient module: the moved half gains Kᵀ diag(a) σ(K u + b) of the other half u."""

    def __init__(self, d, width, up):
        super().__init__()
        self.d, self.up = d, up
        self.K = nn.Parameter(torch.randn(width, d) / width ** 0.5)
        self.a = nn.Parameter(torch.randn(width) / width ** 0.5)
        self.b = nn.Parameter(torch.randn(width) * 0.1)

    def shift(self, u):
        return (torch.tanh(u @ self.K.T + self.b) * self.a) @ self.K

    def forward(self, x):
        q, p = x[:, :self.d], x[:, self.d:]
        return torch.cat([q, p + self.shift(q)], 1) if self.up else torch.cat([q + self.shift(p), p], 1)


def sympnet():
    """The pendulum G-SympNet of [CMOSS] §4.1: d = 1, 8 gradient modules of width 32, UP, LOW, …"""
    return nn.Sequential(*[GradientModule(1, 32, i % 2 == 0) for i in range(8)])


class Denoiser(nn.Module):
    """[M-slides] Euler denoiser: pad 1 → 4 channels, 3 layers x − τKᵀReLU(Kx + b) (K 8×4×3×3), first channel."""

    def __init__(self):
        super().__init__()
        self.channels = 4
        self.flow = nn.Sequential(*[EulerLayer(ConvGradientField(4, 8, 3, -1.0, F.relu), 0.5) for _ in range(3)])

    def forward(self, x):
        return self.flow(F.pad(x, (0, 0, 0, 0, 0, self.channels - 1)))[:, :1]


NETWORKS = {"planar": (Planar, [7, 2]), "cpl": (cpl, [7, 4]), "sympnet": (sympnet, [7, 2]),
            "denoiser": (Denoiser, [3, 1, 12, 12])}
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def main(argv):
    torch.set_num_threads(1)
    command, net, dtype = argv[1], argv[2], DTYPES[argv[3]]
    build, input_shape = NETWORKS[net]
    if command == "make":
        seed, out = int(argv[4]), argv[5]
        torch.manual_seed(seed)
        model = build().to(dtype)
        x = torch.randn(*input_shape, dtype=dtype)
        save_safetensors(out + "/weights.safetensors", model.state_dict())
        save_safetensors(out + "/input.safetensors", {"x": x})
    elif command == "run":
        out = argv[4]
        model = build().to(dtype)
        state = load_safetensors(out + "/weights.safetensors")
        for name, t in state.items():
            if t.dtype != dtype:
                raise SystemExit("tensor %s expected %s but found %s" % (name, dtype, t.dtype))
        model.load_state_dict(state, strict=True)
        x = load_safetensors(out + "/input.safetensors")["x"]
        save_safetensors(out + "/weights_back.safetensors", model.state_dict())
    else:
        raise SystemExit("command expected make or run but got " + command)
    with torch.no_grad():
        y = model(x)
    save_safetensors(out + "/output.safetensors", {"y": y})


if __name__ == "__main__":
    main(sys.argv)
