// Each example in examples/ runs with one command (`node --import tsx examples/<name>.ts`) and
// does what its header says. They import "micrograd-ts", i.e. the built dist/ (`npm test` builds).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "micrograd-examples-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function example(name: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", join(root, "examples", `${name}.ts`), ...args],
    { cwd: root },
  );
  return stdout;
}

/** The number after `label` in `text`. */
function numberAfter(text: string, label: string): number {
  const match = new RegExp(`${label}\\s*([-0-9.]+)`).exec(text);
  assert.ok(match, `no "${label}" in:\n${text}`);
  return Number(match[1]);
}

test("every example is exercised here", () => {
  const names = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".ts"));
  const source = readFileSync(import.meta.filename, "utf8");
  for (const name of names) assert.ok(source.includes(`example("${name.replace(/\.ts$/, "")}"`), name);
});

describe("examples", { concurrency: 2 }, () => {
  test("autograd: micrograd's README numbers, and the graph as DOT", async () => {
    const out = await example("autograd");
    assert.equal(out, "g = 24.7041\ndg/da = 138.8338\ndg/db = 645.5773\n");
    const dot = await example("autograd", "--dot");
    assert.match(dot, /digraph G \{/);
    assert.match(dot, /data 24\.7041/);
  });

  test("xor: no hidden layer stays below 90%, a tanh hidden layer gets every point", async () => {
    const out = await example("xor");
    assert.ok(numberAfter(out, "no hidden layer: accuracy") < 0.9, out);
    assert.equal(numberAfter(out, "8 tanh neurons : accuracy"), 1, out);
  });

  test("moons: micrograd's demo reaches 100% and draws its decision boundary", async () => {
    const svg = join(dir, "boundary.svg");
    const out = await example("moons", svg);
    assert.equal(numberAfter(out, "final accuracy"), 1, out);
    assert.ok(existsSync(svg));
    assert.match(readFileSync(svg, "utf8"), /^<svg[^>]*>[\s\S]*MLP 2-16-16-1[\s\S]*<\/svg>\n$/);
  });

  test("spiral-tensors: a tensor MLP classifies held-out spiral points", async () => {
    const out = await example("spiral-tensors");
    assert.ok(numberAfter(out, "held-out accuracy") >= 0.9, out);
  });

  test("names: the MLP language model beats the bigram and samples ten names", async () => {
    const out = await example("names", "500");
    assert.ok(numberAfter(out, "MLP:") < numberAfter(out, "bigram:"), out);
    const samples = /samples:\s+(.*)/.exec(out)?.[1].split(", ") ?? [];
    assert.equal(samples.length, 10, out);
    for (const s of samples) assert.match(s, /^[a-z' -]*$/);
  });
});
