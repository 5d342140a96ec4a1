#!/usr/bin/python3
"""Writes test/fixtures/torch-mlp.safetensors and torch-mlp.json with PyTorch, independently of
micrograd-ts's writer.

Run with Debian's python3-torch: /usr/bin/python3 scripts/make-torch-fixture.py
The `safetensors` Python package is not packaged for Debian here, so the file is written by hand
with struct + json following the format's spec (8-byte little-endian header length, JSON header,
raw little-endian bytes); the tensors' bytes come from torch itself. Tensors are laid out in a
different order than our writer uses (biases first, last layer first) on purpose.
"""
import json
import os
import struct

import torch

torch.manual_seed(0)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.ModuleList([torch.nn.Linear(4, 8), torch.nn.Linear(8, 3)])

    def forward(self, x):
        return self.layers[1](torch.tanh(self.layers[0](x)))


net = Net()
state = net.state_dict()  # layers.0.weight [8, 4], layers.0.bias [8], ...
names = sorted(state, key=lambda n: ("weight" in n, -int(n.split(".")[1])))
header = {"__metadata__": {"format": "pt", "written_by": "scripts/make-torch-fixture.py"}}
chunks = []
offset = 0
for name in names:
    t = state[name].detach().contiguous().to(torch.float32)
    raw = t.numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
    chunks.append(raw)
    offset += len(raw)
head = json.dumps(header).encode("utf-8")
head += b" " * (-len(head) % 8)
here = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
with open(os.path.join(here, "torch-mlp.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(head)))
    f.write(head)
    for c in chunks:
        f.write(c)

x = torch.tensor([[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5], [0.0, 0.0, 0.0, 0.0], [-1.0, 2.0, -3.0, 4.0]])
with torch.no_grad():
    y = net(x)
with open(os.path.join(here, "torch-mlp.json"), "w") as f:
    json.dump(
        {
            "torch": torch.__version__,
            "activations": ["tanh", "linear"],
            "inputs": x.tolist(),
            "outputs": y.double().tolist(),
        },
        f,
        indent=1,
    )
    f.write("\n")
print("wrote", names)

# The same network in half precision: weights as F16, biases as BF16 (how large models are often
# shipped), and PyTorch's outputs of the rounded weights computed in float64.
header = {"__metadata__": {"format": "pt", "written_by": "scripts/make-torch-fixture.py"}}
chunks = []
offset = 0
rounded = {}
for name in sorted(state):
    t = state[name].detach().contiguous()
    if name.endswith("weight"):
        half, dtype = t.to(torch.float16), "F16"
    else:
        half, dtype = t.to(torch.bfloat16), "BF16"
    raw = half.view(torch.int16).numpy().astype("<i2").tobytes()
    rounded[name] = half.to(torch.float64)
    header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
    chunks.append(raw)
    offset += len(raw)
head = json.dumps(header).encode("utf-8")
head += b" " * (-len(head) % 8)
with open(os.path.join(here, "torch-mlp-half.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(head)))
    f.write(head)
    for c in chunks:
        f.write(c)
net64 = Net().double()
net64.load_state_dict(rounded)
with torch.no_grad():
    y64 = net64(x.double())
with open(os.path.join(here, "torch-mlp-half.json"), "w") as f:
    json.dump({"torch": torch.__version__, "activations": ["tanh", "linear"], "inputs": x.tolist(), "outputs": y64.tolist()}, f, indent=1)
    f.write("\n")
print("wrote half-precision fixture")
