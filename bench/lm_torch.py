# The LM training step in PyTorch, for the same-run comparison in bench/lm.mjs: the default
# `lm train --arch mlp` model (context 3, embedding 10, 200 tanh units, batch 32, Adam lr 0.01, float32)
# on the same training windows (JSON on stdin), batches drawn at random each step, loss read
# back with .item(). Prints the ms of each timed step, CPU ms per step, version and BLAS.
import json, sys

import torch
import torch.nn.functional as F

import torch_common as common

work = json.load(sys.stdin)
torch.set_num_threads(work["threads"])
torch.set_num_interop_threads(1)
torch.manual_seed(1)
V, n, E, H, B = work["vocabSize"], work["context"], work["embed"], work["hidden"], work["batch"]
X = torch.tensor(work["x"], dtype=torch.long).reshape(-1, n)
Y = torch.tensor(work["y"], dtype=torch.long)
C = torch.randn(V, E).requires_grad_()
W1 = (torch.randn(n * E, H) * (5 / 3) / (n * E) ** 0.5).requires_grad_()
b1 = torch.zeros(H).requires_grad_()
W2 = (torch.randn(H, V) * 0.01).requires_grad_()
b2 = torch.zeros(V).requires_grad_()
ps = [C, W1, b1, W2, b2]
opt = torch.optim.Adam(ps, lr=0.01)


def step(k):
    ix = torch.randint(0, X.shape[0], (B,))
    emb = C[X[ix]].view(B, n * E)
    h = torch.tanh(emb @ W1 + b1)
    loss = F.cross_entropy(h @ W2 + b2, Y[ix])
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()


result = common.timed(step, work["steps"], work["warmup"])
result.update(threads=torch.get_num_threads(), version=torch.__version__, blas=common.blas())
print(json.dumps(result))
