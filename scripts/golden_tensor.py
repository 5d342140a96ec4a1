#!/usr/bin/python3
"""Reference values from PyTorch for the tensor engine's ops (forward and gradients).

Run with Debian's python3-torch:  /usr/bin/python3 scripts/golden_tensor.py

Writes test/golden/tensor.json. For each case: the inputs (fixed by formula, no randomness),
the output, and the gradient of sum(output * weights) with respect to every float input,
all in float64; test/tensor/golden.test.ts compares the tensor engine to them within 1e-9.
"""

import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "tensor.json")


def values(shape, seed, low=-2.0, high=2.0):
    n = math.prod(shape)
    mid, half = (low + high) / 2, (high - low) / 2
    data = [mid + half * math.sin(1.3 * i + 0.7 * seed + 0.1 * i * i) for i in range(n)]
    return torch.tensor(data).reshape(shape)


CASES = []


def case(name, fn, shapes, low=-2.0, high=2.0, extra=None):
    inputs = [values(s, k + len(CASES), low, high).requires_grad_() for k, s in enumerate(shapes)]
    out = fn(*inputs)
    weights = values(list(out.shape), 99)
    (out * weights).sum().backward()
    CASES.append(
        {
            "name": name,
            "inputs": [{"shape": list(t.shape), "data": t.detach().flatten().tolist()} for t in inputs],
            "output": {"shape": list(out.shape), "data": out.detach().flatten().tolist()},
            "weights": weights.flatten().tolist(),
            "grads": [t.grad.flatten().tolist() for t in inputs],
            **({"extra": extra} if extra else {}),
        }
    )


case("add", lambda a, b: a + b, [[2, 3], [3]])
case("sub", lambda a, b: a - b, [[3, 1], [1, 4]])
case("mul", lambda a, b: a * b, [[2, 1, 3], [4, 1]])
case("div", lambda a, b: a / b, [[2, 3], [1, 3]], low=0.5, high=2.0)
case("exp", torch.exp, [[2, 3]])
case("log", torch.log, [[2, 3]], low=0.2, high=3.0)
case("tanh", torch.tanh, [[2, 3]])
case("relu", torch.relu, [[3, 4]])
case("sigmoid", torch.sigmoid, [[3, 4]], low=-20.0, high=20.0)
case("sqrt", torch.sqrt, [[5]], low=0.3, high=4.0)
case("pow3", lambda x: x**3, [[2, 2]])
case("sumAxis1", lambda x: x.sum(dim=1), [[2, 3]])
case("sumAxes02Keep", lambda x: x.sum(dim=(0, 2), keepdim=True), [[2, 3, 2]])
case("meanLast", lambda x: x.mean(dim=-1), [[3, 4]])
case("maxAxis1", lambda x: x.max(dim=1).values, [[3, 4]])
case("matmul", lambda a, b: a @ b, [[3, 4], [4, 2]])
case("matmulBatched", lambda a, b: a @ b, [[2, 3, 4], [2, 4, 2]])
case("transpose", lambda x: x.transpose(0, 1), [[2, 3]])
case("slice", lambda x: x[1:3, 1:3], [[3, 3]])
case("concat", lambda a, b: torch.cat([a, b], dim=1), [[2, 1], [2, 2]])
case("indexSelect", lambda x: x.index_select(0, torch.tensor([2, 0, 2])), [[3, 2]])
case("gather", lambda x: x.gather(1, torch.tensor([[1], [0]])), [[2, 3]])
case("softmax", lambda x: F.softmax(x, dim=-1), [[2, 4]])
case("logSoftmax", lambda x: F.log_softmax(x, dim=-1), [[3, 4]], low=-50.0, high=50.0)
case("crossEntropy", lambda x: F.cross_entropy(x, torch.tensor([2, 0, 3])), [[3, 4]])
case("mse", lambda p, t: F.mse_loss(p, t), [[4, 1], [4, 1]])
case("conv2d", lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2)), [[2, 2, 5, 6], [3, 2, 3, 3], [3]])
case("conv2dSame", lambda x, w: F.conv2d(x, w, None, padding=2), [[1, 1, 6, 6], [2, 1, 5, 5]])
case("maxPool2d", lambda x: F.max_pool2d(x, 2), [[2, 2, 4, 6]])
case("maxPool2dOverlap", lambda x: F.max_pool2d(x, 3, stride=2, padding=1), [[1, 2, 5, 5]])
case("avgPool2d", lambda x: F.avg_pool2d(x, 2), [[2, 2, 4, 4]])
case("flatten", lambda x: torch.flatten(x, 1), [[2, 3, 2, 2]])
case("batchNorm2d", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), [[3, 2, 3, 3], [2], [2]])
case("batchNorm1d", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), [[4, 3], [3], [3]])
case("reshape", lambda x: x.reshape(3, 2, 2), [[2, 6]])
case("permute4d", lambda x: x.transpose(1, 2), [[2, 3, 4, 2]])
case("sliceTime", lambda x: x[:, 1:3, :], [[2, 4, 3]])
case("maskedFillCausal", lambda x: F.softmax(x.masked_fill(torch.triu(torch.ones(3, 3), 1).bool(), float("-inf")), dim=-1), [[2, 3, 3]])
case("maskedFillValue", lambda x: x.masked_fill(torch.tensor([[True, False, True]]), 0.5), [[2, 3]])
case("layerNorm", lambda x, w, b: F.layer_norm(x, [4], w, b), [[2, 3, 4], [4], [4]])
case("gelu", lambda x: F.gelu(x, approximate="tanh"), [[3, 4]], low=-4.0, high=4.0)
case("crossEntropy3d", lambda x: F.cross_entropy(x.reshape(-1, 5), torch.tensor([1, 4, -1, 0, 2, -1]), ignore_index=-1), [[2, 3, 5]])
case("einsumAttention", lambda q, k: torch.einsum("bhtd,bhsd->bhts", q, k), [[2, 2, 3, 4], [2, 2, 3, 4]])
case("einsumWeighted", lambda a, v: torch.einsum("bhts,bhsd->bhtd", a, v), [[2, 2, 3, 3], [2, 2, 3, 4]])
case("einsumMatmul", lambda a, b: torch.einsum("ij,jk->ik", a, b), [[3, 4], [4, 2]])
case("einsumOuterSum", lambda a, b: torch.einsum("ijk,jl->lik", a, b), [[2, 3, 4], [3, 2]])
case("einsumOwnSum", lambda a, b: torch.einsum("ij,kl->ik", a, b), [[2, 3], [4, 2]])
case("einsumOne", lambda x: torch.einsum("ijk->kj", x), [[2, 3, 4]])
case("einsumThree", lambda a, b, c: torch.einsum("ij,jk,kl->il", a, b, c), [[2, 3], [3, 4], [4, 2]])

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "cases": CASES}, f)
    f.write("\n")
print("wrote", os.path.relpath(OUT), len(CASES), "cases")
