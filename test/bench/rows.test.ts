// The bench's row schema and statistics (bench/rows.mjs) and the README table script that
// reads them: what every suite's --json rows promise.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
// @ts-expect-error: a plain .mjs module of the bench, without types
import { quantile, row, stats } from "../../bench/rows.mjs";

const SCHEMA = ["workload", "impl", "threads", "level", "mean", "median", "p90", "unit", "cpuMs", "version"];

test("stats: mean, median and the 90th percentile (linear between ranks)", () => {
  const s = stats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(s.mean, 5.5);
  assert.equal(s.median, 5.5);
  assert.ok(Math.abs(s.p90 - 9.1) < 1e-12);
  assert.equal(quantile([4], 0.9), 4);
});

test("row: the schema's fields first, in order; a rate row converts each statistic of the time", () => {
  const times = [2, 4, 4, 10];
  const r = row({
    workload: "W4 256",
    impl: "x",
    threads: 2,
    level: "public API",
    times,
    cpuMs: 3,
    version: "1",
    flop: 4e6,
  });
  assert.deepEqual(Object.keys(r).slice(0, SCHEMA.length), SCHEMA);
  assert.equal(r.unit, "GFLOP/s");
  assert.equal(r.mean, 4e6 / 5 / 1e6);
  assert.equal(r.median, 1);
  assert.ok(r.p90 < r.median, "p90 of a rate is the rate at the slow 90th-percentile time");
  const ms = row({ workload: "W2", impl: "y", threads: 1, level: "fit", times, version: null });
  assert.equal(ms.unit, "ms");
  assert.equal(ms.cpuMs, null);
});

test("scripts/bench-table.mjs renders columns per implementation and thread count, and the goals", () => {
  const r = (workload: string, impl: string, threads: number, mean: number, cpuMs: number) =>
    row({ workload, impl, threads, level: "public API", times: [mean], cpuMs, version: "1" });
  const lines = [
    r("W3", "micrograd-ts wasm", 1, 2, 2),
    r("W3", "micrograd-ts wasm", 2, 1.5, 3),
    r("W3", "pytorch", 1, 1, 1),
    r("W2", "micrograd-ts js", 1, 0.2, 0.1),
    r("W2", "pytorch", 1, 0.25, 0.25),
    { ...r("CNN", "micrograd-ts wasm", 2, 3000, 5000), level: "fit" },
    r("CNN", "pytorch", 1, 1000, 1000),
  ];
  const file = join(mkdtempSync(join(tmpdir(), "bench-")), "bench.jsonl");
  writeFileSync(file, `> npm's banner\n${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  const out = spawnSync(process.execPath, ["scripts/bench-table.mjs", file], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  assert.match(
    out.stdout,
    /\| workload \| ours js 1t \| ours wasm 1t \| ours wasm 2t \| PyTorch 1t \| PyTorch 2t/,
  );
  assert.match(
    out.stdout,
    /\| W3 MLP 784-128-64-10[^|]*\| – \| 2.00 \(cpu 2.00\) \| 1.50 \(cpu 3.00\) \| 1.00 \(cpu 1.00\) \| – /,
  );
  assert.match(out.stdout, /W3 wasm 2t \/ 1t: 0.75 \(goal < 1\)/);
  assert.match(
    out.stdout,
    /W2 CPU \/ PyTorch 1t: ours js 0.40, ours wasm 1t –, ours wasm 2t – \(goal ≤ 0.5\)/,
  );
  assert.match(out.stdout, /\| CNN MNIST[^|]*\| – \| – \| 3000 \(cpu 5000\) \| 1000 \(cpu 1000\) \|/);
  assert.match(out.stdout, /CNN wasm 2t \/ PyTorch 1t \(issue 16\): 3.00 wall, 5.00 CPU \(goal ≤ 1.5\)/);
});
