# W1 in Python micrograd, for the same-run comparison in bench/w1.mjs.
# Usage: python3 w1_micrograd.py MICROGRAD_CHECKOUT STEPS WARMUP [nogc]
# Prints JSON: the wall ms of each timed step, the CPU ms per step and micrograd's version.
# With "nogc", Python's cycle collector is switched off while a step runs, and the garbage of
# each step is collected after it, outside the timed region (as an independent harness does).
import gc, json, math, random, re, sys, time
from pathlib import Path

checkout = sys.argv[1]
sys.path.insert(0, checkout)
from micrograd.engine import Value  # noqa: E402
from micrograd.nn import MLP  # noqa: E402

steps, warmup = int(sys.argv[2]), int(sys.argv[3])
nogc = len(sys.argv) > 4 and sys.argv[4] == "nogc"

random.seed(1337)
n = 100
X, y = [], []
for i in range(n):
    outer = i < n // 2
    t = math.pi * (i if outer else i - n // 2) / (n // 2 - 1)
    px, py = (math.cos(t), math.sin(t)) if outer else (1 - math.cos(t), 0.5 - math.sin(t))
    X.append([px + random.gauss(0, 0.1), py + random.gauss(0, 0.1)])
    y.append(-1 if outer else 1)

model = MLP(2, [16, 16, 1])


def step(k):
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg = 1e-4 * sum((p * p for p in model.parameters()))
    total = data_loss + reg
    model.zero_grad()
    total.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad


def version():
    setup = Path(checkout, "setup.py")
    found = re.search(r"version\s*=\s*['\"]([^'\"]+)", setup.read_text()) if setup.exists() else None
    return found.group(1) if found else "checkout"


for k in range(warmup):
    step(k)
if nogc:
    gc.collect()
    gc.disable()
times, cpu = [], 0.0
for k in range(warmup, warmup + steps):
    c0 = time.process_time()
    t0 = time.perf_counter()
    step(k)
    times.append((time.perf_counter() - t0) * 1000)
    cpu += time.process_time() - c0
    if nogc:
        gc.collect()
print(json.dumps({"ms": times, "cpuMs": cpu * 1000 / steps, "version": version()}))
