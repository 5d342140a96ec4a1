// A small benchmark harness: warm up, time repeated runs, report medians.

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Times `fn` `runs` times after `warmup` calls; returns the per-call times in ms. */
export function time(fn, { runs = 50, warmup = 10 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Prints a result row: a JSON line with --json, else an aligned text line. */
export function report(row, json) {
  if (json) {
    console.log(JSON.stringify(row));
    return;
  }
  const { workload, impl, ...rest } = row;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === "number" ? +v.toPrecision(4) : v}`)
    .join("  ");
  console.log(`${workload.padEnd(4)} ${impl.padEnd(28)} ${fields}`);
}

/** Memory in MiB: JS heap plus typed-array buffers. */
export function memoryMiB() {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

/**
 * Memory in MiB once the garbage collector has settled: a full collection, a pause that lets it
 * release freed typed-array buffers (it does so after the collection, off the main thread), and
 * another collection. Needs `--expose-gc`.
 */
export async function settledMemoryMiB() {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 10));
  globalThis.gc?.();
  return memoryMiB();
}
