#!/usr/bin/env node
// Runs test files under test/ and src/ through node:test with tsx.
//   node scripts/run-tests.mjs                 every test (npm test)
//   node scripts/run-tests.mjs --unit          the fast unit suite (npm run test:unit): no browser,
//                                              CLI, docs or examples tests, no build needed
//   node scripts/run-tests.mjs PART [PART...]  the files whose path contains a PART
// On Node 20, a glob or a bare `--test` can find no files and exit 0, so the files are listed
// here and an empty list is an error. A skipped test prints its reason; under CI (CI=true) any
// skip fails the run, since a check CI never runs is a promise nobody keeps.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const roots = ["test", "src"];
// Tests that start a browser, the CLI or the built package: the whole suite runs them.
const slow = ["test/e2e/", "test/browser/", "test/cli/", "test/docs/", "test/examples/"];
const args = process.argv.slice(2);
const unit = args.includes("--unit");
const only = args.filter((a) => a !== "--unit");

function find(dir) {
  let files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files = files.concat(find(path));
    else if (name.endsWith(".test.ts")) files.push(path);
  }
  return files;
}

let files = roots.flatMap((root) => find(root)).sort();
if (unit) files = files.filter((f) => !slow.some((s) => f.startsWith(s)));
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error("run-tests: no test files found");
  process.exit(1);
}
const skipsFile = join(mkdtempSync(join(tmpdir(), "micrograd-tests-")), "skips.jsonl");
const reporter = process.stdout.isTTY ? "spec" : "tap";
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-concurrency=2",
    `--test-reporter=${reporter}`,
    "--test-reporter-destination=stdout",
    "--test-reporter=./scripts/skip-reporter.mjs",
    `--test-reporter-destination=${skipsFile}`,
    ...files,
  ],
  { stdio: "inherit" },
);
let skips = [];
try {
  skips = readFileSync(skipsFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
} catch {
  // no skip was reported
}
for (const s of skips)
  console.error(`run-tests: skipped "${s.name}" (${s.file}): ${s.reason || "no reason given"}`);
if (skips.length > 0 && process.env.CI) {
  console.error(
    `run-tests: ${skips.length} test(s) skipped; CI runs every test (install what they need in .ci/run)`,
  );
  process.exit(1);
}
process.exit(result.status ?? 1);
