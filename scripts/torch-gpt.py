#!/usr/bin/python3
"""A reference GPT in PyTorch (nanoGPT's layout, written here from the paper's description):
loads a micrograd-ts GPT safetensors file with load_state_dict(strict=True) and prints the
logits for token ids read from stdin.

Usage: /usr/bin/python3 scripts/torch-gpt.py MODEL.safetensors < ids.json
ids.json is a JSON list of rows of token ids (all rows the same length); prints the logits as
JSON, [rows][time][vocab], computed in float64 in eval mode. Reads the file with struct + json
(the `safetensors` package is not in Debian). Used by test/io/gpt-safetensors.test.ts.
"""
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn


class SelfAttention(nn.Module):
    def __init__(self, embd, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(embd, 3 * embd)
        self.c_proj = nn.Linear(embd, embd)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        att = att.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).reshape(b, t, c))


class MLP(nn.Module):
    def __init__(self, embd):
        super().__init__()
        self.c_fc = nn.Linear(embd, 4 * embd)
        self.c_proj = nn.Linear(4 * embd, embd)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, embd, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(embd)
        self.attn = SelfAttention(embd, heads)
        self.ln_2 = nn.LayerNorm(embd)
        self.mlp = MLP(embd)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab, block, layers, heads, embd):
        super().__init__()
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(vocab, embd),
                wpe=nn.Embedding(block, embd),
                h=nn.ModuleList([Block(embd, heads) for _ in range(layers)]),
                ln_f=nn.LayerNorm(embd),
            )
        )
        self.lm_head = nn.Linear(embd, vocab, bias=False)

    def forward(self, idx):
        t = idx.shape[1]
        x = self.transformer.wte(idx) + self.transformer.wpe(torch.arange(t))
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x))


with open(sys.argv[1], "rb") as f:
    raw = f.read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8 : 8 + n])
data = raw[8 + n :]
state = {}
for name, info in header.items():
    if name == "__metadata__":
        continue
    begin, end = info["data_offsets"]
    t = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
    state[name] = t.reshape(info["shape"]).to(torch.float64)
config = json.loads(header["__metadata__"]["micrograd-ts/gpt"])
torch.set_default_dtype(torch.float64)
model = GPT(config["vocabSize"], config["block"], config["layers"], config["heads"], config["embd"])
model.load_state_dict(state, strict=True)
model.eval()
ids = torch.tensor(json.load(sys.stdin), dtype=torch.long)
with torch.no_grad():
    print(json.dumps(model(ids).tolist()))
