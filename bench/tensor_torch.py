# W2-W4 in PyTorch, for the same-run comparison in bench/tensor.mjs. Reads the work (data and
# initial weights) as JSON on stdin and runs one round of it (a third of each workload's steps);
# prints the ms of every timed step (every product for W4) and their total CPU ms as JSON.
import json, sys, time

import torch

torch.set_num_threads(1)
work = json.load(sys.stdin)


ROUNDS = 3
ROUND = work["round"]


def timed(step, steps, warmup):
    for k in range(warmup):
        step(k)
    times = []
    chunk = max(1, round(steps / ROUNDS))
    c0 = time.process_time()
    for k in range(ROUND * chunk, (ROUND + 1) * chunk):
        t0 = time.perf_counter()
        step(k)
        times.append((time.perf_counter() - t0) * 1000)
    return {"ms": times, "cpuMs": (time.process_time() - c0) * 1000}


def params(weights):
    return [torch.tensor(p["data"], dtype=torch.float32).reshape(p["shape"]).requires_grad_() for p in weights]


def forward(ps, x):
    w1, b1, w2, b2, w3, b3 = ps
    h1 = torch.relu(x @ w1 + b1)
    h2 = torch.relu(h1 @ w2 + b2)
    return h2 @ w3 + b3


def w2():
    w = work["w2"]
    ps = params(w["weights"])
    x = torch.tensor(w["x"], dtype=torch.float32).reshape(100, 2)
    y = torch.tensor(w["y"], dtype=torch.float32).reshape(100, 1)
    opt = torch.optim.SGD(ps, lr=1.0)

    def step(k):
        for g in opt.param_groups:
            g["lr"] = 1.0 - 0.9 * min(k, 100) / 100
        opt.zero_grad()
        s = forward(ps, x)
        loss = torch.relu(1 - y * s).mean() + 1e-4 * sum((p * p).sum() for p in ps)
        loss.backward()
        opt.step()
        return loss.item()

    return timed(step, w["steps"], w["warmup"])


def w3():
    w = work["w3"]
    ps = params(w["weights"])
    x = torch.tensor(w["x"], dtype=torch.float32).reshape(128, 784)
    y = torch.tensor(w["y"], dtype=torch.long)
    opt = torch.optim.SGD(ps, lr=0.01)

    def step(k):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(forward(ps, x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return timed(step, w["steps"], w["warmup"])


def w4(n, runs):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    return timed(lambda k: a @ b, runs, 1)


result = {"W2": w2(), "W3": w3(), "threads": torch.get_num_threads(), "version": torch.__version__}
for n in work["w4"]["sizes"]:
    result[f"W4 {n}"] = w4(n, work["w4"]["runs"][str(n)])
print(json.dumps(result))
