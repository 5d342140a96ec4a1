// Renders README's speed tables from the JSON lines of one `npm run bench -- --json` run:
//   npm run bench -- --json > bench.jsonl
//   node scripts/bench-table.mjs bench.jsonl                 print the markdown
//   node scripts/bench-table.mjs bench.jsonl --write README.md [--note "quiet machine"]
// --write replaces what lies between <!-- bench:start --> and <!-- bench:end --> in the file.
// Every figure is a mean (ms per step, or GFLOP/s), with the CPU time per step beside it.
import { readFileSync, writeFileSync } from "node:fs";
import { argv } from "node:process";

const args = argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const target = option("--write");
const note = option("--note");
const rows = readFileSync(args[0] ?? 0, "utf8")
  .split("\n")
  .filter((line) => line.startsWith("{"))
  .map((line) => JSON.parse(line));

const num = (v) =>
  !Number.isFinite(v)
    ? "–"
    : v >= 100
      ? v.toFixed(0)
      : v >= 10
        ? v.toFixed(1)
        : v >= 1
          ? v.toFixed(2)
          : v.toPrecision(2);
const find = (workload, impl, threads, level) =>
  rows.find(
    (r) =>
      r.workload === workload &&
      r.impl === impl &&
      (threads === undefined || r.threads === threads) &&
      (level === undefined || r.level === level),
  );
const cell = (r) => {
  if (!r) return "–";
  const cpu = r.cpuMs !== null && r.unit !== "GFLOP/s" ? ` (cpu ${num(r.cpuMs)})` : "";
  return `${num(r.mean)}${cpu}`;
};

// The tensor workloads, one column per implementation and thread count.
const TENSOR = [
  ["W2", "W1 as tensors (moons 100, MLP 2-16-16-1, hinge + L2, SGD), ms/step"],
  ["W3", "MLP 784-128-64-10, batch 128, SGD, ms/step"],
  ["W4 256", "f32 matmul 256², GFLOP/s"],
  ["W4 1024", "f32 matmul 1024², GFLOP/s"],
  ["W5", "MNIST: one epoch of `train --dataset mnist` (62 steps of 128), ms/epoch"],
  ["CNN", "MNIST: one epoch of `train --dataset mnist --arch cnn` (125 steps of 64), ms/epoch"],
];
const columns = [
  ["micrograd-ts js", 1],
  ["micrograd-ts wasm", 1],
  ["micrograd-ts wasm", 2],
  ["pytorch", 1],
  ["pytorch", 2],
  ["tfjs wasm", 1],
  ["tfjs cpu", 1],
  ["jax-js wasm", 1],
];
const label = ([impl, threads]) =>
  `${impl.replace("micrograd-ts ", "ours ").replace("pytorch", "PyTorch")} ${threads}t`;
const lines = [];
const version = (impl) => rows.find((r) => r.impl === impl)?.version;
const blas = rows.find((r) => r.impl === "pytorch")?.blas;
lines.push(
  `One run of \`npm run bench -- --json\`${note ? ` (${note})` : ""}; means, with CPU ms per step (all threads) in parentheses. ` +
    `Every implementation is driven through its public API with the result read back (W5, CNN: ours through \`fit\`; tfjs wasm has no Conv2DBackpropFilter kernel, so its CNN takes the filter gradient through \`tf.conv2d\`). ` +
    `PyTorch ${version("pytorch") ?? "?"} on ${blas ? blas.split("/").pop() : "its BLAS"}; tfjs ${version("tfjs wasm") ?? "?"} ` +
    `and jax-js ${version("jax-js wasm") ?? "?"} are single-threaded (1t).`,
  "",
);
lines.push(`| workload | ${columns.map(label).join(" | ")} |`);
lines.push(`|---|${columns.map(() => "---").join("|")}|`);
for (const [w, what] of TENSOR) {
  if (!rows.some((r) => r.workload === w)) continue;
  const level = w === "W5" || w === "CNN" ? undefined : "public API";
  lines.push(`| ${w} ${what} | ${columns.map(([impl, t]) => cell(find(w, impl, t, level))).join(" | ")} |`);
}

// The scalar engine and the language model: a row per implementation.
lines.push("", "| workload | implementation | mean | median | p90 | CPU |", "|---|---|---|---|---|---|");
const listed = rows.filter(
  (r) =>
    (r.workload.startsWith("W1") || (r.workload.startsWith("LM") && r.per === "step")) &&
    r.unit === "ms" &&
    r.level !== "memory",
);
for (const r of listed) {
  lines.push(
    `| ${r.workload} | ${r.impl} ${r.threads}t (${r.level}) | ${num(r.mean)} ms | ${num(r.median)} | ${num(r.p90)} | ${r.cpuMs === null ? "–" : num(r.cpuMs)} |`,
  );
}

// Memory over 10,000 steps (must stay flat).
const mem = rows.filter((r) => r.level === "memory");
const at = (r) =>
  Object.entries(r)
    .filter(([k]) => /mibat/i.test(k))
    .map(([k, v]) => `${num(v)} MiB at ${k.replace(/.*mibat/i, "step ")}`)
    .join(", ");
if (mem.length > 0) lines.push("", `Memory: ${mem.map((r) => `${r.impl}: ${at(r)}`).join("; ")}.`);

if (!rows.some((r) => r.impl.startsWith("python micrograd")))
  lines.push("", "Python micrograd: not in this run (MICROGRAD_PY names no micrograd checkout).");

// The goals of issue 17, as ratios within this run.
const ratio = (a, b, key = "mean") => (a && b ? a[key] / b[key] : Number.NaN);
const goals = [];
const w3 = [
  find("W3", "micrograd-ts wasm", 1, "public API"),
  find("W3", "micrograd-ts wasm", 2, "public API"),
];
const torch1 = (w) => find(w, "pytorch", 1);
goals.push(`W3 wasm 2t / 1t: ${num(ratio(w3[1], w3[0]))} (goal < 1)`);
goals.push(`W3 wasm 2t / PyTorch 1t: ${num(ratio(w3[1], torch1("W3")))} (goal ≤ 1)`);
const w2cpu = (impl, threads = 1) =>
  num(ratio(find("W2", impl, threads, "public API"), torch1("W2"), "cpuMs"));
goals.push(
  `W2 CPU / PyTorch 1t: ours js ${w2cpu("micrograd-ts js")}, ours wasm 1t ${w2cpu("micrograd-ts wasm")}, ` +
    `ours wasm 2t ${w2cpu("micrograd-ts wasm", 2)} (goal ≤ 0.5)`,
);
const w1 = find("W1", "micrograd-ts Value");
goals.push(`W1 Value loop mean: ${w1 ? num(w1.mean) : "–"} ms/step (goal ≤ 2)`);
const wide = rows
  .filter((r) => r.impl === "micrograd-ts Value" && r.nsPerNode)
  .map((r) => `${num(r.nsPerNode)} ns/node, CPU ${num(r.cpuNsPerNode)} (${r.workload})`);
goals.push(`W1 cost per node as the net widens: ${wide.join(", ")} (goal: flat)`);
goals.push(
  `LM step CPU, ours (wasm float32, the MLP's default backend) / PyTorch 1t: ${num(ratio(find("LM", "micrograd-ts wasm float32 (default)"), torch1("LM"), "cpuMs"))} (goal ≤ 1)`,
);
const w5 = find("W5", "micrograd-ts wasm", 2);
goals.push(
  `W5 wasm 2t / PyTorch 1t: ${num(ratio(w5, torch1("W5")))} wall, ${num(ratio(w5, torch1("W5"), "cpuMs"))} CPU (goal ≤ 1)`,
);
const cnn = find("CNN", "micrograd-ts wasm", 2);
goals.push(
  `CNN wasm 2t / PyTorch 1t (issue 16): ${num(ratio(cnn, torch1("CNN")))} wall, ${num(ratio(cnn, torch1("CNN"), "cpuMs"))} CPU (goal ≤ 1.5)`,
);
const gpt = find("LM GPT", "micrograd-ts wasm float32", 2);
goals.push(
  `GPT step wasm 2t / PyTorch 1t (issue 14): ${num(ratio(gpt, torch1("LM GPT")))} wall, ${num(ratio(gpt, torch1("LM GPT"), "cpuMs"))} CPU (goal ≤ 1.5)`,
);
lines.push("", "Goals, as ratios of means in this run:", "", ...goals.map((g) => `- ${g}`));

const text = lines.join("\n");
if (!target) console.log(text);
else {
  const file = readFileSync(target, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const a = file.indexOf(start);
  const b = file.indexOf(end);
  if (a < 0 || b < a) throw new Error(`bench-table: ${target} has no ${start} ... ${end} block`);
  writeFileSync(target, `${file.slice(0, a + start.length)}\n${text}\n${file.slice(b)}`);
  console.log(`bench-table: wrote ${target}`);
}
