"""A reference GPT in PyTorch, in nanoGPT's layout and parameter names (written here from the
GPT-2 paper's description): pre-norm blocks of causal self-attention and a GELU (tanh) MLP, an
untied head without bias. Used by scripts/torch-gpt.py and bench/lm_gpt_torch.py.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


class SelfAttention(nn.Module):
    def __init__(self, embd, heads, dropout=0.0):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(embd, 3 * embd)
        self.c_proj = nn.Linear(embd, embd)
        self.attn_dropout = nn.Dropout(dropout)
        self.resid_dropout = nn.Dropout(dropout)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        att = att.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
        y = self.attn_dropout(F.softmax(att, dim=-1)) @ v
        return self.resid_dropout(self.c_proj(y.transpose(1, 2).reshape(b, t, c)))


class MLP(nn.Module):
    def __init__(self, embd, dropout=0.0):
        super().__init__()
        self.c_fc = nn.Linear(embd, 4 * embd)
        self.c_proj = nn.Linear(4 * embd, embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate="tanh")))


class Block(nn.Module):
    def __init__(self, embd, heads, dropout=0.0):
        super().__init__()
        self.ln_1 = nn.LayerNorm(embd)
        self.attn = SelfAttention(embd, heads, dropout)
        self.ln_2 = nn.LayerNorm(embd)
        self.mlp = MLP(embd, dropout)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab, block, layers, heads, embd, dropout=0.0):
        super().__init__()
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(vocab, embd),
                wpe=nn.Embedding(block, embd),
                drop=nn.Dropout(dropout),
                h=nn.ModuleList([Block(embd, heads, dropout) for _ in range(layers)]),
                ln_f=nn.LayerNorm(embd),
            )
        )
        self.lm_head = nn.Linear(embd, vocab, bias=False)

    def forward(self, idx):
        t = idx.shape[1]
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(torch.arange(t)))
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x))
