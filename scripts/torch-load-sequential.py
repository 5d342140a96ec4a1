#!/usr/bin/python3
"""Loads a micrograd-ts Sequential safetensors file into the PyTorch nn.Sequential of the same
layers and prints its outputs.

Usage: /usr/bin/python3 scripts/torch-load-sequential.py MODEL.safetensors < inputs.json
Reads the file with struct + json (the `safetensors` package is not in Debian), builds the
layers from the file's "micrograd-ts/sequential" metadata (Conv2d, MaxPool2d, AvgPool2d,
BatchNorm1d/2d, Linear, ReLU, Flatten, Unflatten; Dropout and random shifts as Identity in
evaluation), calls load_state_dict(strict=True), and prints the outputs in eval mode for the
inputs (a JSON list of samples) as JSON. Used by test/io/sequential-file.test.ts.
"""
import json
import struct
import sys

import torch
from torch import nn

path = sys.argv[1]
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
specs = json.loads(header["__metadata__"]["micrograd-ts/sequential"])["layers"]

layers = []
shape = None
for s in specs:
    t = s["type"]
    if t == "unflatten":
        layers.append(nn.Unflatten(1, tuple(s["shape"])))
        shape = s["shape"]
    elif t == "conv2d":
        layers.append(nn.Conv2d(s["in"], s["out"], tuple(s["kernel"]), stride=tuple(s["stride"]), padding=tuple(s["padding"]), bias=s["bias"]))
        shape = [s["out"], 0, 0]
    elif t == "maxPool2d":
        layers.append(nn.MaxPool2d(tuple(s["kernel"]), stride=tuple(s["stride"]), padding=tuple(s["padding"])))
    elif t == "avgPool2d":
        layers.append(nn.AvgPool2d(tuple(s["kernel"]), stride=tuple(s["stride"]), padding=tuple(s["padding"])))
    elif t == "batchNorm":
        cls = nn.BatchNorm2d if shape is not None and len(shape) == 3 else nn.BatchNorm1d
        layers.append(cls(s["channels"], eps=s["eps"], momentum=s["momentum"]))
    elif t == "activation":
        layers.append({"relu": nn.ReLU(), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid(), "linear": nn.Identity()}[s["activation"]])
    elif t == "flatten":
        layers.append(nn.Flatten())
        shape = [0]
    elif t == "linear":
        layers.append(nn.Linear(s["in"], s["out"], bias=s["bias"]))
        shape = [s["out"]]
    elif t in ("dropout", "randomShift"):
        layers.append(nn.Dropout(s["p"]) if t == "dropout" else nn.Identity())
    else:
        raise SystemExit(f"unknown layer {t}")

net = nn.Sequential(*layers).double()
net.load_state_dict(state, strict=True)
net.eval()
x = torch.tensor(json.load(sys.stdin), dtype=torch.float64)
with torch.no_grad():
    print(json.dumps(net(x).tolist()))
