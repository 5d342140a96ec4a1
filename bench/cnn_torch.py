# The CNN bench in PyTorch, for the same-run comparison in bench/cnn.mjs: the default `train
# --dataset mnist --arch cnn` network (conv 5x5 8, max pool 2, batch norm, ReLU; conv 5x5 16,
# pool, batch norm, ReLU; linear 256-64, batch norm, ReLU; linear 64-10) from the same initial
# weights, on the same batches, the same ±1-pixel shifts and learning rates, trained with
# optim.Adam (weight decay as an L2 term on the gradient, as ours); loss and batch accuracy read
# back each step. The first epoch is a warm-up; prints the ms of each further epoch, CPU ms per
# epoch, version and BLAS.
import json, sys

import torch
import torch.nn.functional as F

import torch_common as common

work = json.load(sys.stdin)
torch.set_num_threads(work["threads"])
torch.set_num_interop_threads(1)
X = torch.tensor(work["x"], dtype=torch.float32).reshape(-1, 1, 28, 28)
Y = torch.tensor(work["y"], dtype=torch.long)
ps = [torch.tensor(p["data"], dtype=torch.float32).reshape(p["shape"]).requires_grad_() for p in work["weights"]]
c1, g1, b1, c2, g2, b2, l1, g3, b3, l2, bias2 = ps
stats = [(torch.zeros(n), torch.ones(n)) for n in (8, 16, 64)]
opt = torch.optim.Adam(ps, lr=work["lrs"][0], weight_decay=work["weightDecay"])
batches = [torch.tensor(b, dtype=torch.long) for b in work["batches"]]
shifts = [torch.tensor(s, dtype=torch.long).reshape(-1, 2) for s in work["shifts"]]
per_epoch = work["perEpoch"]
ARANGE = torch.arange(28)


def shifted(x, s):
    """Output pixel (y, x) of image i reads (y - dy, x - dx), zero outside: one gather."""
    xp = F.pad(x, (1, 1, 1, 1))
    rows = ARANGE[None, :] - s[:, 0:1] + 1
    cols = ARANGE[None, :] - s[:, 1:2] + 1
    n = torch.arange(x.shape[0])[:, None, None]
    return xp[n, 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)


def bn(h, k, g, b):
    mean, var = stats[k]
    return F.batch_norm(h, mean, var, g, b, training=True, momentum=0.1, eps=1e-5)


def step(k):
    ix = batches[k]
    xb, yb = shifted(X[ix], shifts[k]), Y[ix]
    for group in opt.param_groups:
        group["lr"] = work["lrs"][k]
    h = torch.relu(bn(F.max_pool2d(F.conv2d(xb, c1), 2), 0, g1, b1))
    h = torch.relu(bn(F.max_pool2d(F.conv2d(h, c2), 2), 1, g2, b2))
    h = torch.relu(bn(h.flatten(1) @ l1, 2, g3, b3))
    logits = h @ l2 + bias2
    return common.cross_entropy_step(opt, logits, yb)


result = common.epochs(step, len(batches), per_epoch)
print(json.dumps({**result, "version": torch.__version__, "blas": common.blas()}))
