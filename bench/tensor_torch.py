# W2-W4 (and W5) in PyTorch, for the same-run comparison in bench/tensor.mjs and bench/w5.mjs.
# Reads the work (data and initial weights) as JSON on stdin and runs one round of it (a third
# of each workload's steps) on `threads` threads; prints the ms of every timed step (every
# product for W4), their CPU ms per step, torch's version and the BLAS library it loaded.
# Each step is done PyTorch's fastest documented way for it: autograd, then the SGD update in
# place under torch.no_grad() (faster here than optim.SGD for these small models), loss read back
# with .item(). The caller sets OMP_NUM_THREADS / OPENBLAS_NUM_THREADS to the same count.
import json, sys

import torch

import torch_common as common

work = json.load(sys.stdin)
torch.set_num_threads(work["threads"])
torch.set_num_interop_threads(1)

ROUNDS = work.get("rounds", 3)
ROUND = work["round"]


def timed(step, steps, warmup):
    return common.timed(step, steps, warmup, ROUNDS, ROUND)


def params(weights):
    return [torch.tensor(p["data"], dtype=torch.float32).reshape(p["shape"]).requires_grad_() for p in weights]


def forward(ps, x):
    w1, b1, w2, b2, w3, b3 = ps
    h1 = torch.relu(x @ w1 + b1)
    h2 = torch.relu(h1 @ w2 + b2)
    return h2 @ w3 + b3


def sgd(ps, loss, lr):
    for p in ps:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in ps:
            p.add_(p.grad, alpha=-lr)
    return loss.item()


def w2():
    w = work["w2"]
    ps = params(w["weights"])
    x = torch.tensor(w["x"], dtype=torch.float32).reshape(100, 2)
    y = torch.tensor(w["y"], dtype=torch.float32).reshape(100, 1)

    def step(k):
        s = forward(ps, x)
        loss = torch.relu(1 - y * s).mean() + 1e-4 * sum((p * p).sum() for p in ps)
        return sgd(ps, loss, 1.0 - 0.9 * min(k, 100) / 100)

    return timed(step, w["steps"], w["warmup"])


def w3():
    w = work["w3"]
    ps = params(w["weights"])
    x = torch.tensor(w["x"], dtype=torch.float32).reshape(128, 784)
    y = torch.tensor(w["y"], dtype=torch.long)

    def step(k):
        return sgd(ps, torch.nn.functional.cross_entropy(forward(ps, x), y), 0.01)

    return timed(step, w["steps"], w["warmup"])


def w4(n, runs):
    g = torch.Generator().manual_seed(1)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    return timed(lambda k: (a @ b).numpy(), runs, 1)


result = {"threads": torch.get_num_threads(), "version": torch.__version__, "blas": common.blas()}
if "w2" in work:
    result["W2"] = w2()
if "w3" in work:
    result["W3"] = w3()
if "w4" in work:
    for n in work["w4"]["sizes"]:
        result[f"W4 {n}"] = w4(n, work["w4"]["runs"][str(n)])
print(json.dumps(result))
