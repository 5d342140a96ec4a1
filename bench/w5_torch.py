# W5 in PyTorch, for the same-run comparison in bench/w5.mjs: the default `train --dataset
# mnist` model (784-128-10, ReLU, dropout 0.2) from the same initial weights, trained with
# optim.Adam (weight decay as an L2 term on the gradient, as ours) on the same batches and
# learning rates, loss and batch accuracy read back each step. The first epoch is a warm-up;
# prints the ms of each further epoch, CPU ms per epoch, version and BLAS.
import json, sys, time

import torch
import torch.nn.functional as F

import torch_common as common

work = json.load(sys.stdin)
torch.set_num_threads(work["threads"])
torch.set_num_interop_threads(1)
torch.manual_seed(1)
X = torch.tensor(work["x"], dtype=torch.float32).reshape(-1, 784)
Y = torch.tensor(work["y"], dtype=torch.long)
ps = [torch.tensor(p["data"], dtype=torch.float32).reshape(p["shape"]).requires_grad_() for p in work["weights"]]
w1, b1, w2, b2 = ps
opt = torch.optim.Adam(ps, lr=work["lrs"][0], weight_decay=work["weightDecay"])
batches = [torch.tensor(b, dtype=torch.long) for b in work["batches"]]
per_epoch, p = work["perEpoch"], work["dropout"]


def step(k):
    ix = batches[k]
    xb, yb = X[ix], Y[ix]
    for g in opt.param_groups:
        g["lr"] = work["lrs"][k]
    h = F.dropout(torch.relu(xb @ w1 + b1), p, training=True)
    logits = h @ w2 + b2
    loss = F.cross_entropy(logits, yb)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item(), (logits.argmax(1) == yb).float().mean().item()


times, cpu = [], 0.0
for e in range(len(batches) // per_epoch):
    c0 = time.process_time()
    t0 = time.perf_counter()
    for k in range(e * per_epoch, (e + 1) * per_epoch):
        step(k)
    if e > 0:
        times.append((time.perf_counter() - t0) * 1000)
        cpu += time.process_time() - c0
print(json.dumps({"ms": times, "cpuMs": cpu * 1000 / len(times), "version": torch.__version__, "blas": common.blas()}))
