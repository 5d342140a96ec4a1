// Runs the benchmarks on the built library (dist/): code loaded through tsx pays a getter per
// cross-module call, so timings must come from plain node.
//   npm run bench                 every suite, a table per workload
//   npm run bench -- --json       one JSON object per line
//   npm run bench -- w1 viz       only the named suites
import { existsSync } from "node:fs";
import { argv } from "node:process";

const SUITES = ["w1", "tensor", "viz", "lm", "wasm"];
const args = argv.slice(2);
const json = args.includes("--json");
const quick = args.includes("--quick");
const chosen = args.filter((a) => !a.startsWith("--"));
for (const name of chosen.length > 0 ? chosen : SUITES) {
  const file = new URL(`./${name}.mjs`, import.meta.url);
  if (!existsSync(file)) {
    if (chosen.includes(name)) throw new Error(`bench: no suite "${name}" (have: ${SUITES.join(", ")})`);
    continue;
  }
  const suite = await import(file.href);
  await suite.run({ json, quick });
}
