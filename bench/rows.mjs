// The bench's one row schema and its statistics, shared by every suite. Each suite times its
// work with `measure` (or `measureAsync`) and prints it with `report(row(...), json)`:
//
//   { workload, impl, threads, level, mean, median, p90, unit, cpuMs, version, ...extra }
//
//   workload  "W1".."W5", "LM", "viz", ... (what was done)
//   impl      who did it: "micrograd-ts js", "micrograd-ts wasm", "pytorch", "tfjs wasm", ...
//   threads   threads the implementation computed on (peers that cannot use more say 1)
//   level     how it was driven, the same for every implementation of a workload:
//             "public API" (the library's user-facing API, result read back to JS/Python),
//             "fit" (the library's training loop), "raw kernel" (a backend call into a
//             preallocated output; no peer row is comparable), "memory" (a memory sample)
//   mean, median, p90   over the timed repetitions, in `unit`; for a rate unit (GFLOP/s) each is
//             the rate at that statistic of the time (p90: the rate at the slow 90th percentile)
//   unit      "ms" (per step: one `per`), "GFLOP/s", "MiB"
//   cpuMs     CPU time (user + system, all threads of the process) per repetition, in ms
//   version   the implementation's version (its package's, or torch.__version__)
// Extra fields (runs, per, blas, nodes, ...) follow these.
import { readFileSync } from "node:fs";

/** Median of numbers. */
export function median(xs) {
  return quantile(xs, 0.5);
}

/** The q-quantile of numbers (linear between the two nearest ranks). */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo] + (s[hi] - s[lo]) * (at - lo);
}

/** Mean, median and 90th percentile of times. */
export function stats(times) {
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { mean, median: median(times), p90: quantile(times, 0.9) };
}

/**
 * Times `step(k)` `runs` times after `warmup` calls. `between(k)` runs after each timed step,
 * outside the timed region and outside the CPU count (e.g. a garbage collection). Returns the
 * wall ms of each step and the CPU ms per step (this process, all threads).
 */
export function measure(step, { runs, warmup = 0, between } = {}) {
  for (let k = 0; k < warmup; k++) step(k);
  const times = [];
  let cpu = 0;
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    step(warmup + k);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    between?.(k);
  }
  return { times, cpuMs: cpu / runs };
}

/** `measure` for a step that returns a promise (awaited inside the timed region). */
export async function measureAsync(step, { runs, warmup = 0, between } = {}) {
  for (let k = 0; k < warmup; k++) await step(k);
  const times = [];
  let cpu = 0;
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await step(warmup + k);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    await between?.(k);
  }
  return { times, cpuMs: cpu / runs };
}

/**
 * One row of the schema. `times` are ms per repetition; with `flop` (operations per
 * repetition) the row is in GFLOP/s instead. `unit` defaults to "ms" (or "GFLOP/s").
 * `extra` fields come after the schema's.
 */
export function row({ workload, impl, threads, level, times, cpuMs, version, flop, unit, ...extra }) {
  const s = stats(times);
  const rate = flop !== undefined;
  const value = (ms) => (rate ? flop / ms / 1e6 : ms);
  return {
    workload,
    impl,
    threads,
    level,
    mean: value(s.mean),
    median: value(s.median),
    p90: value(s.p90),
    unit: unit ?? (rate ? "GFLOP/s" : "ms"),
    cpuMs: cpuMs ?? null,
    version: version ?? null,
    runs: times.length,
    ...extra,
  };
}

/** Prints a row: a JSON line with --json, else an aligned text line. */
export function report(r, json) {
  if (json) {
    console.log(JSON.stringify(r));
    return;
  }
  const { workload, impl, threads, level, mean, median: med, p90, unit, cpuMs, version, ...rest } = r;
  const n = (v) => (typeof v === "number" ? String(+v.toPrecision(4)) : String(v));
  const head = `${String(workload).padEnd(12)} ${`${impl}${threads ? ` ${threads}t` : ""}`.padEnd(40)}`;
  const body = [
    `mean ${n(mean)}`,
    `median ${n(med)}`,
    `p90 ${n(p90)} ${unit}`,
    cpuMs !== null && cpuMs !== undefined ? `cpu ${n(cpuMs)} ms` : "",
    `[${level}${version ? `, ${version}` : ""}]`,
    ...Object.entries(rest).map(([k, v]) => `${k}=${n(v)}`),
  ];
  console.log(`${head} ${body.filter((s) => s !== "").join("  ")}`);
}

/** The installed version of an npm package (a peer), or null. */
export function packageVersion(name) {
  try {
    const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(file, "utf8")).version;
  } catch {
    return null;
  }
}

/** micrograd-ts's own version (package.json). */
export function ourVersion() {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
}
