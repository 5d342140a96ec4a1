// Our safetensors file loads into PyTorch with load_state_dict(strict=True) and computes our
// outputs. Needs Debian's python3-torch at /usr/bin/python3 (.ci/run installs it); fails, never
// skips, where it is missing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MLP, saveSafetensors } from "../../src/index.ts";

const python = "/usr/bin/python3";
// Checked by path, not by importing torch (which takes seconds).
const hasTorch = existsSync(python) && existsSync("/usr/lib/python3/dist-packages/torch/__init__.py");

test("PyTorch loads our safetensors and computes the same outputs", () => {
  assert.ok(hasTorch, "needs Debian's python3-torch at /usr/bin/python3: apt-get install python3-torch");
  const model = new MLP(3, [7, 5, 2], { activation: ["tanh", "relu", "linear"], seed: 11, init: "xavier" });
  const file = join(mkdtempSync(join(tmpdir(), "micrograd-torch-")), "m.safetensors");
  writeFileSync(file, saveSafetensors(model, { dtype: "F64", labels: ["a", "b"] }));
  const inputs = [
    [0.5, -1, 2],
    [0, 0, 0],
    [3, 1, -0.25],
  ];
  const r = spawnSync(python, ["scripts/torch-load-check.py", file, "tanh,relu,linear"], {
    input: JSON.stringify(inputs),
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const outputs: number[][] = JSON.parse(r.stdout);
  inputs.forEach((x, i) => {
    model.predict(x).forEach((v, k) => {
      assert.ok(Math.abs(v - outputs[i][k]) < 1e-12, `${v} vs ${outputs[i][k]}`);
    });
  });
});
