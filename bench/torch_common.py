# Shared by the bench's PyTorch scripts: the BLAS torch loaded, and timing one round of steps.
import time


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
