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
import struct
import sys

import torch

from torch_gpt_model import GPT


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
