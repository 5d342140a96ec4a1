# W5 in PyTorch, for the same-run comparison in bench/w5.mjs: the default `train --dataset
# mnist` model (784-128-10, ReLU, dropout 0.2) from the same initial weights, trained with
# optim.Adam (weight decay as an L2 term on the gradient, as ours) on the same batches and
# learning rates, loss and batch accuracy read back each step. The first epoch is a warm-up;
# prints the ms of each further epoch, CPU ms per epoch, version and BLAS.
import json, sys

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
    return common.cross_entropy_step(opt, logits, yb)


result = common.epochs(step, len(batches), per_epoch)
print(json.dumps({**result, "version": torch.__version__, "blas": common.blas()}))
