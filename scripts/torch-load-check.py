#!/usr/bin/python3
"""Loads a micrograd-ts safetensors file into a PyTorch module and prints its outputs.

Usage: /usr/bin/python3 scripts/torch-load-check.py MODEL.safetensors tanh,linear < inputs.json
Reads the file with struct + json (the `safetensors` package is not in Debian), builds
`layers = nn.ModuleList([nn.Linear(...), ...])`, calls load_state_dict(strict=True) and prints
the outputs for the inputs (a JSON list of rows) as JSON. Used by test/io/torch-roundtrip.test.ts.
"""
import json
import struct
import sys

import torch

path, activations = sys.argv[1], sys.argv[2].split(",")
with open(path, "rb") as f:
    raw = f.read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8 : 8 + n])
data = raw[8 + n :]
dtypes = {"F32": torch.float32, "F64": torch.float64}
state = {}
for name, info in header.items():
    if name == "__metadata__":
        continue
    begin, end = info["data_offsets"]
    t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtypes[info["dtype"]])
    state[name] = t.reshape(info["shape"]).to(torch.float64)

sizes = []
i = 0
while f"layers.{i}.weight" in state:
    sizes.append(tuple(state[f"layers.{i}.weight"].shape))
    i += 1


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.ModuleList([torch.nn.Linear(i, o).double() for (o, i) in sizes])

    def forward(self, x):
        fns = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda v: v}
        for layer, act in zip(self.layers, activations):
            x = fns[act](layer(x))
        return x


net = Net()
net.load_state_dict(state, strict=True)
x = torch.tensor(json.load(sys.stdin), dtype=torch.float64)
with torch.no_grad():
    print(json.dumps(net(x).tolist()))
