# W1 in Python micrograd, for the same-run comparison in bench/w1.mjs.
# Usage: python3 w1_micrograd.py MICROGRAD_CHECKOUT STEPS [nogc] -> prints the median ms per step.
# With "nogc", Python's cycle collector is switched off (the issue quotes both figures).
import gc, math, random, statistics, sys, time

sys.path.insert(0, sys.argv[1])
from micrograd.engine import Value  # noqa: E402
from micrograd.nn import MLP  # noqa: E402

random.seed(1337)
n = 100
X, y = [], []
for i in range(n):
    outer = i < n // 2
    t = math.pi * (i if outer else i - n // 2) / (n // 2 - 1)
    px, py = (math.cos(t), math.sin(t)) if outer else (1 - math.cos(t), 0.5 - math.sin(t))
    X.append([px + random.gauss(0, 0.1), py + random.gauss(0, 0.1)])
    y.append(-1 if outer else 1)

if len(sys.argv) > 3 and sys.argv[3] == "nogc":
    gc.disable()
model = MLP(2, [16, 16, 1])
times = []
for k in range(int(sys.argv[2])):
    t0 = time.perf_counter()
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
    times.append((time.perf_counter() - t0) * 1000)
print(statistics.median(times))
