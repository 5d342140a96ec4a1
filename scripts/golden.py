#!/usr/bin/python3
"""Reference values from PyTorch for the scalar engine, losses, MLP and optimisers.

Run with Debian's python3-torch (`apt-get install -y python3-torch`):

    /usr/bin/python3 scripts/golden.py      (or: npm run golden)

Writes JSON fixtures into test/golden/; the tests compare our numbers to them within 1e-9.
Everything is float64. Inputs are written down here (no randomness), so the output is stable.
"""

import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden")


def leaf(x):
    return torch.tensor(float(x), requires_grad=True)


def write(name, payload):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path))


# ---------------------------------------------------------------------------------------------
# engine.json: micrograd's own two tests, and every primitive at several points


def micrograd_sanity_check():
    # micrograd/test/test_engine.py::test_sanity_check
    x = leaf(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return {"y": y.item(), "xGrad": x.grad.item()}


def micrograd_more_ops():
    # micrograd/test/test_engine.py::test_more_ops
    a = leaf(-4.0)
    b = leaf(2.0)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    return {"g": g.item(), "aGrad": a.grad.item(), "bGrad": b.grad.item()}


UNARY = {
    "neg": (lambda a: -a, [-2.5, 0.0, 3.0]),
    "exp": (torch.exp, [-3.0, 0.0, 2.5, 20.0]),
    "log": (torch.log, [0.1, 1.0, 7.5, 1e6]),
    "tanh": (torch.tanh, [-3.0, 0.0, 0.7, 20.0]),
    "relu": (torch.relu, [-2.0, 0.0, 3.0]),  # PyTorch: relu'(0) = 0
    "sigmoid": (torch.sigmoid, [-800.0, -40.0, -2.0, 0.0, 2.0, 40.0, 800.0]),
}
BINARY = {
    "add": (lambda a, b: a + b, [(2.0, -3.0), (0.5, 0.25), (-1e3, 7.0)]),
    "sub": (lambda a, b: a - b, [(2.0, -3.0), (0.5, 0.25), (-1e3, 7.0)]),
    "mul": (lambda a, b: a * b, [(2.0, -3.0), (0.5, 0.25), (-1e3, 7.0), (0.0, 4.0)]),
    "div": (lambda a, b: a / b, [(2.0, -3.0), (0.5, 0.25), (-1e3, 7.0), (1.0, -0.125)]),
    # torch.maximum splits the gradient evenly between tied inputs.
    "max": (torch.maximum, [(1.0, 2.0), (3.0, -1.0), (2.0, 2.0), (-0.5, -0.5)]),
}
POW = [(3.0, 2.0), (-1.5, 3.0), (2.0, -1.0), (4.0, 0.5), (0.7, -2.5), (5.0, 0.0), (0.0, 0.0), (0.0, 2.0), (-2.0, 1.0)]


def ops():
    cases = []
    for name, (fn, points) in UNARY.items():
        for a in points:
            x = leaf(a)
            y = fn(x)
            y.backward()
            cases.append({"op": name, "args": [a], "out": y.item(), "grads": [x.grad.item()]})
    for name, (fn, points) in BINARY.items():
        for a, b in points:
            x, z = leaf(a), leaf(b)
            y = fn(x, z)
            y.backward()
            cases.append({"op": name, "args": [a, b], "out": y.item(), "grads": [x.grad.item(), z.grad.item()]})
    for a, k in POW:
        x = leaf(a)
        y = x**k
        y.backward()
        cases.append({"op": "pow", "args": [a], "exponent": k, "out": y.item(), "grads": [x.grad.item()]})
    return cases


# ---------------------------------------------------------------------------------------------
# losses.json: each loss's value and gradient with respect to the network outputs


def hinge(scores, targets):
    y = targets * 2 - 1  # class 0/1 -> -1/+1
    return torch.relu(1 - y * scores[:, 0]).mean()


def mse(scores, targets):
    return ((scores[:, 0] - targets) ** 2).mean()


def bce(scores, targets):
    return F.binary_cross_entropy_with_logits(scores[:, 0], targets)


def softmax_ce(scores, targets):
    return F.cross_entropy(scores, targets.long())


LOSS_FNS = {"mse": mse, "hinge": hinge, "bce": bce, "softmax": softmax_ce}

LOSS_CASES = [
    ("mse", [[0.5], [-1.0], [2.0], [0.0]], [1, 0, 1, 0]),
    ("mse", [[0.25], [3.5], [-2.0]], [0.5, -1.5, 4.0]),  # regression targets
    ("hinge", [[0.5], [-1.0], [2.0], [-0.2], [1.0]], [1, 0, 1, 1, 1]),  # last one sits on the kink
    ("bce", [[0.5], [-1.0], [2.0], [0.0], [0.0]], [1, 0, 1, 0, 1]),  # z = 0 exactly, twice
    ("bce", [[40.0], [-40.0], [800.0], [-800.0]], [0, 1, 1, 0]),  # large logits: no overflow
    ("softmax", [[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [-1.0, 3.0, 3.0], [2.0, -2.0, 1.0]], [1, 0, 2, 0]),
    ("softmax", [[1000.0, 999.0, -1000.0], [-1000.0, -1000.0, -999.5]], [0, 2]),  # large logits
]


def losses():
    cases = []
    for name, outputs, targets in LOSS_CASES:
        scores = torch.tensor(outputs, requires_grad=True)
        value = LOSS_FNS[name](scores, torch.tensor(targets, dtype=torch.float64))
        value.backward()
        cases.append(
            {"loss": name, "outputs": outputs, "targets": targets, "value": value.item(), "grad": scores.grad.tolist()}
        )
    params = torch.tensor([0.5, -1.25, 3.0, 0.0, -0.1], requires_grad=True)
    alpha = 1e-4
    value = alpha * (params * params).sum()
    value.backward()
    cases.append({"loss": "l2", "params": params.tolist(), "alpha": alpha, "value": value.item(), "grad": params.grad.tolist()})
    return cases


# ---------------------------------------------------------------------------------------------
# mlp.json: networks with fixed weights, forward and backward, and a few training steps through
# fit() with SGD (momentum, weight decay, L2) and Adam, compared parameter by parameter.

ACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda h: h}


def fixed_weights(nin, sizes, scale):
    """Deterministic weights: a smooth function of the position, in (-scale, scale)."""
    layers, fan_in, k = [], nin, 0
    for n in sizes:
        w, b = [], []
        for _ in range(n):
            row = []
            for _ in range(fan_in):
                k += 1
                row.append(round(scale * math.sin(1.7 * k + 0.3), 6))
            w.append(row)
            k += 1
            b.append(round(0.1 * scale * math.cos(2.3 * k), 6))
        layers.append({"w": w, "b": b})
        fan_in = n
    return layers


def to_tensors(layers):
    return [(torch.tensor(l["w"], requires_grad=True), torch.tensor(l["b"], requires_grad=True)) for l in layers]


def flat(params):
    """Our parameter order: layer by layer, neuron by neuron, the neuron's weights then its bias."""
    out = []
    for w, b in params:
        for j in range(w.shape[0]):
            out += w[j].tolist() + [b[j].item()]
    return out


def flat_grads(params):
    out = []
    for w, b in params:
        for j in range(w.shape[0]):
            out += w.grad[j].tolist() + [b.grad[j].item()]
    return out


def forward(params, activations, x):
    h = x
    for (w, b), act in zip(params, activations):
        h = ACT[act](h @ w.T + b)
    return h


def step_loss(params, activations, loss, x, y, l2):
    value = LOSS_FNS[loss](forward(params, activations, x), y)
    if l2 > 0:
        value = value + l2 * sum((p * p).sum() for pair in params for p in pair)
    return value


X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.8], [0.1, 0.2], [-1.2, -0.4], [0.9, 1.1]]
Y2 = [1, 0, 1, 0, 0, 1]
Y3 = [2, 0, 1, 0, 2, 1]

NETWORKS = [
    {"name": "2-3-3-1 tanh relu", "sizes": [3, 3, 1], "activations": ["tanh", "relu", "linear"], "loss": "mse", "y": Y2},
    {"name": "2-3-3-1 relu hinge", "sizes": [3, 3, 1], "activations": ["relu", "relu", "linear"], "loss": "hinge", "y": Y2},
    {"name": "2-4-1 sigmoid bce", "sizes": [4, 1], "activations": ["sigmoid", "linear"], "loss": "bce", "y": Y2},
    {"name": "2-3-3-3 tanh softmax", "sizes": [3, 3, 3], "activations": ["tanh", "tanh", "linear"], "loss": "softmax", "y": Y3},
]

TRAINING = [
    {"optimizer": "sgd", "lr": 0.1, "momentum": 0.9, "weightDecay": 0.01, "l2": 1e-3, "steps": 6},
    {"optimizer": "sgd", "lr": 0.5, "momentum": 0.0, "weightDecay": 0.0, "l2": 1e-4, "steps": 6},
    {"optimizer": "adam", "lr": 0.05, "weightDecay": 0.001, "l2": 0.0, "steps": 6},
]


def make_optimizer(params, t):
    flat_params = [p for pair in params for p in pair]
    if t["optimizer"] == "sgd":
        return torch.optim.SGD(flat_params, lr=t["lr"], momentum=t["momentum"], weight_decay=t["weightDecay"])
    return torch.optim.Adam(flat_params, lr=t["lr"], weight_decay=t["weightDecay"])


def networks():
    cases = []
    for net in NETWORKS:
        layers = fixed_weights(2, net["sizes"], 1.0)
        x = torch.tensor(X)
        y = torch.tensor(net["y"], dtype=torch.float64)

        params = to_tensors(layers)
        out = forward(params, net["activations"], x)
        value = step_loss(params, net["activations"], net["loss"], x, y, 0.0)
        value.backward()
        case = dict(net, nin=2, layers=layers, x=X, outputs=out.tolist(), lossValue=value.item(), grads=flat_grads(params))

        case["training"] = []
        for t in TRAINING:
            params = to_tensors(layers)
            opt = make_optimizer(params, t)
            history, after = [], []
            for _ in range(t["steps"]):
                opt.zero_grad()
                value = step_loss(params, net["activations"], net["loss"], x, y, t["l2"])
                value.backward()
                opt.step()
                history.append(value.item())
                after.append(flat(params))
            case["training"].append(dict(t, losses=history, params=after))
        cases.append(case)
    return cases


# ---------------------------------------------------------------------------------------------
# optim.json: SGD and Adam on scalar parameters, minimising Rosenbrock's function, with a
# learning-rate schedule set by hand each step (linear decay, as micrograd's demo).


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


OPTIM_CASES = [
    {"optimizer": "sgd", "lr": [1e-3] * 8, "momentum": 0.9, "weightDecay": 0.0},
    {"optimizer": "sgd", "lr": [1e-3 - 1e-4 * k for k in range(8)], "momentum": 0.5, "weightDecay": 0.1},
    {"optimizer": "sgd", "lr": [5e-4] * 8, "momentum": 0.0, "weightDecay": 0.0},
    {"optimizer": "adam", "lr": [0.1] * 8, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weightDecay": 0.0},
    {"optimizer": "adam", "lr": [0.05] * 8, "beta1": 0.5, "beta2": 0.9, "eps": 1e-3, "weightDecay": 0.05},
]


def optim():
    cases = []
    for c in OPTIM_CASES:
        x, y = leaf(-1.2), leaf(1.0)
        if c["optimizer"] == "sgd":
            opt = torch.optim.SGD([x, y], lr=c["lr"][0], momentum=c["momentum"], weight_decay=c["weightDecay"])
        else:
            opt = torch.optim.Adam(
                [x, y], lr=c["lr"][0], betas=(c["beta1"], c["beta2"]), eps=c["eps"], weight_decay=c["weightDecay"]
            )
        after = []
        for lr in c["lr"]:
            for group in opt.param_groups:
                group["lr"] = lr
            opt.zero_grad()
            rosenbrock(x, y).backward()
            opt.step()
            after.append([x.item(), y.item()])
        cases.append(dict(c, start=[-1.2, 1.0], params=after))
    return cases


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    meta = {"torch": torch.__version__, "dtype": "float64"}
    write("engine.json", dict(meta, sanityCheck=micrograd_sanity_check(), moreOps=micrograd_more_ops(), ops=ops()))
    write("losses.json", dict(meta, cases=losses()))
    write("mlp.json", dict(meta, networks=networks()))
    write("optim.json", dict(meta, cases=optim()))
