# Shared by the bench's PyTorch scripts: the BLAS torch loaded, timing one round of steps or
# whole epochs, and a cross-entropy training step.
import time

import torch.nn.functional as F


def blas():
    """The BLAS shared library torch loaded (from this process's memory map)."""
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "blas" in line.lower()})
    openblas = [lib for lib in libs if "libopenblas" in lib]
    return ", ".join(openblas or libs) or "none found in /proc/self/maps"


def timed(step, steps, warmup, rounds=1, round_=0):
    """Runs `warmup` steps, then round `round_` of `rounds` (its share of `steps`), timed."""
    for k in range(warmup):
        step(k)
    times = []
    chunk = max(1, round(steps / rounds))
    cpu = 0.0
    for k in range(round_ * chunk, (round_ + 1) * chunk):
        c0 = time.process_time()
        t0 = time.perf_counter()
        step(k)
        times.append((time.perf_counter() - t0) * 1000)
        cpu += time.process_time() - c0
    return {"ms": times, "cpuMs": cpu * 1000 / len(times)}


def cross_entropy_step(opt, logits, yb):
    """Softmax cross-entropy and one optimiser update; the loss and batch accuracy read back (as fit does)."""
    loss = F.cross_entropy(logits, yb)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item(), (logits.argmax(1) == yb).float().mean().item()


def epochs(step, steps, per_epoch):
    """Runs steps 0..steps-1 by epochs, the first a warm-up: wall ms of each further epoch, CPU ms per epoch, every step's loss."""
    times, cpu, losses = [], 0.0, []
    for e in range(steps // per_epoch):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for k in range(e * per_epoch, (e + 1) * per_epoch):
            losses.append(step(k)[0])
        if e > 0:
            times.append((time.perf_counter() - t0) * 1000)
            cpu += time.process_time() - c0
    return {"ms": times, "cpuMs": cpu * 1000 / len(times), "losses": losses}
