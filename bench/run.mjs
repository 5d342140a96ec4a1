// Runs the benchmarks on the built library (dist/): code loaded through tsx pays a getter per
// cross-module call, so timings must come from plain node.
//   npm run bench                 every suite, a table per workload
//   npm run bench -- --json       one JSON object per line, every row in the schema of rows.mjs
//   npm run bench -- w1 viz       only the named suites (mnist is another name for w5; cnn: the MNIST CNN)
//   npm run bench -- --quick      shorter runs, for trying the bench out
//   npm run bench -- webgpu       the webgpu suite (not in the default list: it needs a WebGPU
//                                 adapter); --full runs its GPU sizes
import { existsSync } from "node:fs";
import { argv } from "node:process";

const SUITES = ["w1", "tensor", "w5", "cnn", "viz", "lm", "wasm"];
const OPTIONAL = ["webgpu"];
const ALIASES = { mnist: "w5" };
const args = argv.slice(2);
const json = args.includes("--json");
const quick = args.includes("--quick");
const full = args.includes("--full");
const chosen = args.filter((a) => !a.startsWith("--")).map((a) => ALIASES[a] ?? a);
for (const name of chosen.length > 0 ? chosen : SUITES) {
  const file = new URL(`./${name}.mjs`, import.meta.url);
  if (!existsSync(file))
    throw new Error(`bench: no suite "${name}" (have: ${[...SUITES, ...OPTIONAL].join(", ")}, mnist)`);
  const suite = await import(file.href);
  if (typeof suite.run !== "function") throw new Error(`bench: ${name}.mjs is not a suite (no run export)`);
  await suite.run({ json, quick, full });
}
