// The README's "library in 30 lines" with its `Value` taken from the learner's engine
// (`micrograd-ts/learn`) instead of the fast one: it runs and prints the same numbers, as the
// tour promises a learner who switches. (The MLP, `fit` and the tensor engine stay the library's:
// the learner's engine has micrograd's `MLP` but trains it in its own loop, which
// test/learn/differential.test.ts checks step by step against the fast `MLP`.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { extractSnippets, ROOT } from "../../scripts/doc-snippets.ts";

test("the README's 30 lines give the same output with Value from micrograd-ts/learn", () => {
  assert.ok(existsSync(join(ROOT, "dist", "learn", "index.js")), "run `npm run build` first");
  const snippet = extractSnippets("README.md").find((s) => s.code.includes("new Value(") && s.expected);
  assert.ok(snippet?.expected, "README has a snippet with Value and its output");
  const imports = /^import \{([^}]*)\} from "micrograd-ts";$/m;
  const names = (imports.exec(snippet.code)?.[1] ?? "").split(",").map((n) => n.trim());
  assert.ok(names.includes("Value"), "the snippet imports Value from micrograd-ts");
  const switched = snippet.code.replace(
    imports,
    `import { ${names.filter((n) => n !== "Value").join(", ")} } from "micrograd-ts";\n` +
      `import { Value } from "micrograd-ts/learn";`,
  );
  assert.notEqual(switched, snippet.code);
  const dir = join(ROOT, "out", "readme-learn");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const js = ts.transpileModule(switched, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  writeFileSync(join(dir, "readme-learn.mjs"), js);
  const run = spawnSync(process.execPath, ["readme-learn.mjs"], { cwd: dir, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, snippet.expected);
});
