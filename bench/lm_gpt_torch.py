# The GPT training step in PyTorch, for the same-run comparison in bench/lm-gpt.mjs: the default
# `lm train --arch gpt` model on the names (2 layers, 2 heads, embedding 64, block 16, dropout
# 0.1, batch 32, AdamW lr 3e-3 with no decay on biases and norms, gradient clipping at 1,
# float32) on the same training rows (JSON on stdin), batches drawn at random each step, loss
# read back with .item(). Prints the ms of each timed step, CPU ms per step, version and BLAS.
import json
import os
import sys

import torch
import torch.nn.functional as F

import torch_common as common

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from torch_gpt_model import GPT  # noqa: E402

work = json.load(sys.stdin)
torch.set_num_threads(work["threads"])
torch.set_num_interop_threads(1)
torch.manual_seed(1)
T, B = work["block"], work["batch"]
X = torch.tensor(work["x"], dtype=torch.long).reshape(-1, T)
Y = torch.tensor(work["y"], dtype=torch.long).reshape(-1, T)
model = GPT(work["vocabSize"], T, work["layers"], work["heads"], work["embd"], work["dropout"])
decay = [p for p in model.parameters() if p.dim() >= 2]
no_decay = [p for p in model.parameters() if p.dim() < 2]
groups = [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}]
opt = torch.optim.AdamW(groups, lr=3e-3, betas=(0.9, 0.99))
model.train()


def step(k):
    ix = torch.randint(0, X.shape[0], (B,))
    logits = model(X[ix])
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), Y[ix].view(-1), ignore_index=-1)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


result = common.timed(step, work["steps"], work["warmup"])
result.update(threads=torch.get_num_threads(), version=torch.__version__, blas=common.blas())
print(json.dumps(result))
