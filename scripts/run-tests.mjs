#!/usr/bin/env node
// Runs every test file under test/ and src/ through node:test with tsx.
// On Node 20, a glob or a bare `--test` can find no files and exit 0, so the files are listed
// here and an empty list is an error.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["test", "src"];
const only = process.argv.slice(2);

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
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error("run-tests: no test files found");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
