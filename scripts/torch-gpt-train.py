#!/usr/bin/python3
"""Trains the reference GPT (scripts/torch_gpt_model.py) in PyTorch the way `lm train --arch gpt`
does, to search hyperparameters faster than our engine can: AdamW (betas 0.9, 0.99; decay 0.1 on
matrices only), linear warm-up then cosine decay to a tenth of the rate, gradient clipping at 1,
random batches of the rows, validation every --eval-every steps, the best weights kept, and
optional early stopping (--patience evaluations without a lower validation loss).

Usage: node --import tsx scripts/lm-rows.ts names > rows.json
       /usr/bin/python3 scripts/torch-gpt-train.py rows.json --batch 32 --lr 3e-3 --steps 4000
Prints one JSON line per evaluation (step, tokens seen, validation loss in nats/char, seconds)
and a last line with the best step, its validation and test loss, and ms per step.
"""
import argparse
import copy
import json
import math
import time

import torch
import torch.nn.functional as F

from torch_gpt_model import GPT

p = argparse.ArgumentParser()
p.add_argument("rows")
p.add_argument("--batch", type=int, default=32)
p.add_argument("--lr", type=float, default=3e-3)
p.add_argument("--steps", type=int, default=4000)
p.add_argument("--warmup", type=int, default=100)
p.add_argument("--dropout", type=float, default=0.1)
p.add_argument("--weight-decay", type=float, default=0.1)
p.add_argument("--layers", type=int, default=2)
p.add_argument("--heads", type=int, default=2)
p.add_argument("--embd", type=int, default=64)
p.add_argument("--eval-every", type=int, default=250)
p.add_argument("--patience", type=int, default=0)
p.add_argument("--seed", type=int, default=1337)
p.add_argument("--threads", type=int, default=1)
a = p.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
data = json.load(open(a.rows))
T = data["block"]


def rows(part):
    x = torch.tensor(part["x"], dtype=torch.long).reshape(-1, T)
    y = torch.tensor(part["y"], dtype=torch.long).reshape(-1, T)
    return x, y, part["chars"]


train, val, test = rows(data["train"]), rows(data["val"]), rows(data["test"])
model = GPT(data["vocabSize"], T, a.layers, a.heads, a.embd, a.dropout)
decay = [q for q in model.parameters() if q.dim() >= 2]
no_decay = [q for q in model.parameters() if q.dim() < 2]
opt = torch.optim.AdamW(
    [{"params": decay, "weight_decay": a.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
    lr=a.lr,
    betas=(0.9, 0.99),
)


def rate(step):
    if step < a.warmup:
        return a.lr * (step + 1) / (a.warmup + 1)
    t = min(1.0, (step - a.warmup) / max(1, a.steps - a.warmup))
    low = a.lr / 10
    return low + (a.lr - low) * 0.5 * (1 + math.cos(math.pi * t))


@torch.no_grad()
def loss_per_char(part):
    x, y, chars = part
    if x.shape[0] == 0:
        return float("nan")
    model.eval()
    total = 0.0
    for i in range(0, x.shape[0], 512):
        logits = model(x[i : i + 512])
        total += F.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), y[i : i + 512].reshape(-1), ignore_index=-1, reduction="sum"
        ).item()
    model.train()
    return total / chars


best = (float("inf"), 0, None)
bad = 0
train_seconds = 0.0
model.train()
for step in range(1, a.steps + 1):
    t0 = time.perf_counter()
    for g in opt.param_groups:
        g["lr"] = rate(step - 1)
    ix = torch.randint(0, train[0].shape[0], (a.batch,))
    logits = model(train[0][ix])
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), train[1][ix].reshape(-1), ignore_index=-1)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    train_seconds += time.perf_counter() - t0
    if step % a.eval_every == 0 or step == a.steps:
        v = loss_per_char(val)
        print(json.dumps({"step": step, "tokens": step * a.batch * T, "val": round(v, 4), "s": round(train_seconds, 1)}), flush=True)
        if v < best[0]:
            best, bad = (v, step, copy.deepcopy(model.state_dict())), 0
        else:
            bad += 1
            if a.patience and bad >= a.patience:
                break
model.load_state_dict(best[2])
print(
    json.dumps(
        {
            "bestStep": best[1],
            "bestTokens": best[1] * a.batch * T,
            "val": round(best[0], 4),
            "test": round(loss_per_char(test), 4),
            "msPerStep": round(1000 * train_seconds / step, 2),
            "args": vars(a),
        }
    ),
    flush=True,
)
