// Issue 18, command level: checkpoints and output files are not a way in. A checkpoint holds
// training settings only; outputs are checked before training, never overwrite an input, fail
// with their real cause, and a killed write's temporaries are cleaned up.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeFailure } from "../../src/cli/files.ts";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-robust-outputs-"));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const csv = file("d.csv", "a,b,label\n1,2,x\n2,3,y\n3,4,x\n5,6,y\n");
const model = join(dir, "m.json");

test("a model to convert and predict with", async () => {
  assert.equal((await runCli(["train", "--data", csv, "--steps", "1", "--save", model])).code, 0);
});

test("a checkpoint's argv is validated data: --resume or output paths in it are refused", async () => {
  const ck = join(dir, "ck.json");
  assert.equal((await runCli(["train", "--steps", "3", "--checkpoint", ck, "--json"])).code, 0);
  const saved = JSON.parse(readFileSync(ck, "utf8"));
  assert.ok(!saved.argv.includes("--checkpoint"), "output paths are never stored");
  for (const argv of [
    ["--resume", "self.json"],
    ["--steps", "3", "--save", join(dir, "pwned.json")],
    ["--steps", "3", "--plots", join(dir, "pwned")],
  ]) {
    const evil = file("evil.json", JSON.stringify({ ...saved, argv }));
    const r = await runCli(["train", "--resume", evil]);
    assert.equal(r.code, 2);
    assert.match(r.err, /"argv" holds --(resume|save|plots), which a checkpoint never stores/);
  }
  assert.ok(!existsSync(join(dir, "pwned.json")) && !existsSync(join(dir, "pwned")));
});

test("--resume ck.json --steps N extends a finished run and reports the time of what it trained", async () => {
  const ck = join(dir, "extend.json");
  const first = await runCli(["train", "--steps", "5", "--checkpoint", ck, "--json"]);
  assert.equal(first.code, 0, first.err);
  const more = await runCli(["train", "--resume", ck, "--steps", "8", "--json"]);
  assert.equal(more.code, 0, more.err);
  const whole = JSON.parse(more.out);
  assert.equal(whole.steps, 8);
  assert.equal(whole.stepsRun, 3);
  assert.ok(Math.abs(whole.msPerStep - whole.ms / 3) < 1e-3, more.out);
  const text = await runCli(["train", "--resume", ck, "--steps", "10"]);
  assert.match(text.out, /trained 10 steps \(5 after the checkpoint\)/);
  const other = await runCli(["train", "--resume", ck, "--lr", "0.1"]);
  assert.match(other.err, /drop --lr \(only --steps or --epochs may lengthen the run\)/);
});

test("output paths are checked before training and name the flag; inputs are never overwritten", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["train", "--steps", "1", "--save", join(dir, "no-such-dir", "m.json")],
      /--save ".*m.json": the folder ".*no-such-dir" does not exist/,
    ],
    [
      ["train", "--steps", "1", "--checkpoint", join(dir, "no-such-dir", "c.json")],
      /--checkpoint ".*c.json": the folder/,
    ],
    [
      ["train", "--steps", "1", "--save", join(dir, "m.txt")],
      /--save ".*m.txt": name the file .json, .safetensors or .onnx/,
    ],
    [
      ["train", "--steps", "1", "--plots", join(csv, "plots")],
      /--plots ".*plots": ".*d.csv" is not a folder/,
    ],
    [
      ["convert", "--model", join(dir, "m.json"), "--out", join(dir, "flowers.txt")],
      /--out ".*flowers.txt": name the file/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, message);
    assert.doesNotMatch(r.out, /step/, "refused before training");
  }
  const jsonNamedData = file("data.json", readFileSync(csv, "utf8"));
  const same = await runCli(["train", "--data", jsonNamedData, "--steps", "1", "--save", jsonNamedData]);
  assert.equal(same.code, 2);
  assert.match(same.err, /--save ".*data.json" is the input file/);
  const out = await runCli(["predict", "--model", model, "--data", csv, "--out", csv]);
  assert.equal(out.code, 2);
  assert.match(out.err, /--out ".*d.csv" is the input file/);
  assert.match(readFileSync(csv, "utf8"), /^a,b,label/);
});

test("write failures name the file, the flag and the real cause (ENOSPC, EROFS)", () => {
  const fail = (code: string) =>
    writeFailure(Object.assign(new Error(`${code}: x.tmp`), { code }), "out/p.png", "--plots");
  assert.equal(
    fail("ENOSPC").message,
    'cannot write "out/p.png": the disk is full (ENOSPC)'.replace(/^/, "--plots: "),
  );
  assert.match(
    fail("EROFS").message,
    /^--plots: cannot write "out\/p.png": the file system is read-only \(EROFS\)$/,
  );
  assert.equal((fail("EROFS") as NodeJS.ErrnoException).code, "EROFS");
});

test("a killed write's stale temporary files are removed on the next write; others are kept", async () => {
  const target = join(dir, "stale.json");
  const stale = `${target}.0123456789ab.tmp`;
  const fresh = `${target}.abcdef012345.tmp`;
  const foreign = `${target}.notours.tmp`;
  for (const f of [stale, fresh, foreign]) writeFileSync(f, "x");
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(stale, hourAgo, hourAgo);
  utimesSync(foreign, hourAgo, hourAgo);
  const r = await runCli(["convert", "--model", join(dir, "m.json"), "--out", target]);
  assert.equal(r.code, 0, r.err);
  const left = readdirSync(dir).filter((n) => n.startsWith("stale.json."));
  assert.deepEqual(left.sort(), ["stale.json.abcdef012345.tmp", "stale.json.notours.tmp"]);
});
