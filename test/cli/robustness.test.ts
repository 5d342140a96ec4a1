import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { errorKind } from "../../src/cli/exit-status.ts";
import { UsageError } from "../../src/cli/io.ts";
import { runCommand } from "../../src/cli/main.ts";
import { duplicateJsonKey } from "../../src/io/json-keys.ts";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-robust-"));

test("train --data with 250,000 rows trains (no stack overflow in the split)", async () => {
  const rows = ["a,b,label"];
  for (let i = 0; i < 250_000; i++) rows.push(`${(i % 97) / 97},${(i % 89) / 89},${i % 2 ? "x" : "y"}`);
  const path = join(dir, "big.csv");
  writeFileSync(path, `${rows.join("\n")}\n`);
  const r = await runCli(["train", "--data", path, "--steps", "1", "--batch", "64", "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).samples, 250_000);
});

test("internal errors are not usage errors: exit 70 with a report hint", async () => {
  assert.equal(errorKind(new RangeError("Maximum call stack size exceeded")), "internal");
  assert.equal(errorKind(new RangeError("Map maximum size exceeded")), "internal");
  assert.equal(errorKind(new TypeError("x is undefined")), "internal");
  assert.equal(errorKind(new RangeError("csv line 3: bad")), "usage");
  assert.equal(errorKind(new UsageError("--steps")), "usage");
  assert.equal(errorKind(Object.assign(new Error("no space"), { code: "ENOSPC" })), "failure");
  const err: string[] = [];
  const io = { out: () => {}, err: (t: string) => err.push(t), isTTY: false };
  const status = await runCommand(
    "train",
    async () => {
      throw new RangeError("Maximum call stack size exceeded");
    },
    [],
    io,
  );
  assert.equal(status, 70);
  assert.match(err.join(""), /internal error: Maximum call stack size exceeded[\s\S]*bug/);
});

test("a closed pipe ends the program quietly with status 0", () => {
  const r = spawnSync(
    "bash",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${PIPESTATUS[0]} is bash, not a template
    ["-c", "node bin/micrograd.js train --steps 500 | head -1; echo ${PIPESTATUS[0]}"],
    {
      encoding: "utf8",
    },
  );
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
  assert.match(r.stdout, /^step +1\/500[^\n]*\n0\n$/);
});

test("repeated JSON keys are found at any depth", () => {
  assert.equal(duplicateJsonKey('{"a": 1, "a": 2}'), "a");
  assert.equal(duplicateJsonKey('{"a": {"b": 1}, "b": 2}'), undefined);
  assert.equal(duplicateJsonKey('{"x": [{"k": 1, "k": 2}]}'), "k");
});
