// Every ```ts block in README.md and docs/**/*.md type-checks against the built package, runs
// without error, prints exactly its `text output` block, and writes the pictures committed in
// docs/img/. `npm test` builds dist/ first; after editing the docs, `npm run docs:tour` rewrites
// the outputs and pictures (see scripts/doc-snippets.ts).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  dotToSvg,
  extractSnippets,
  markdownFiles,
  ROOT,
  runSnippets,
  type SnippetRun,
  typecheck,
  writtenFiles,
} from "../../scripts/doc-snippets.ts";

const snippets = markdownFiles().flatMap(extractSnippets);

test("the docs have snippets, and every tour page has at least one", () => {
  assert.ok(existsSync(join(ROOT, "dist", "index.js")), "run `npm run build` first");
  const pages = markdownFiles().filter((f) => f.startsWith("docs/tour/") && f !== "docs/tour/README.md");
  assert.ok(pages.length >= 9, `${pages.length} tour pages`);
  for (const page of pages)
    assert.ok(
      snippets.some((s) => s.file === page),
      `${page} has no ts snippet`,
    );
});

test("every snippet type-checks against the built package", () => {
  const errors = typecheck(snippets);
  assert.deepEqual(errors, []);
});

let runs: SnippetRun[] = [];

/** Timings vary from run to run: "12.3 ms" compares as "# ms". */
function timeless(text: string): string {
  return text.replace(/\d+(?:\.\d+)? ms\b/g, "# ms");
}

test("every snippet runs and prints its output block", async () => {
  runs = await runSnippets(snippets);
  for (const run of runs) {
    const where = `${run.snippet.file}:${run.snippet.line}`;
    assert.equal(run.code, 0, `${where} failed:\n${run.stderr}`);
    if (run.snippet.expected !== undefined) {
      assert.equal(
        timeless(run.stdout),
        timeless(run.snippet.expected),
        `${where}: output differs (npm run docs:tour updates it)`,
      );
    }
  }
});

test("the pictures in docs/img are the ones the snippets draw", async () => {
  assert.ok(runs.length > 0, "the snippets ran");
  const written = writtenFiles();
  assert.ok(written.size > 0, "the snippets wrote pictures");
  const dots = [...written].filter(([name]) => name.endsWith(".dot"));
  const rendered = await dotToSvg(dots.map(([, path]) => readFileSync(path, "utf8")));
  const pictures = new Map<string, string>();
  for (const [i, [name]] of dots.entries()) pictures.set(name.replace(/\.dot$/, ".svg"), rendered[i]);
  for (const [name, path] of written)
    if (name.endsWith(".svg")) pictures.set(name, readFileSync(path, "utf8"));
  for (const [name, svg] of pictures) {
    const committed = join(ROOT, "docs", "img", name);
    assert.ok(existsSync(committed), `docs/img/${name} is missing (npm run docs:tour writes it)`);
    assert.equal(svg, readFileSync(committed, "utf8"), `docs/img/${name} is stale (npm run docs:tour)`);
  }
  // And every picture a page shows exists.
  for (const file of markdownFiles()) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const [, src] of text.matchAll(/\]\(((?:\.\.\/|docs\/)img\/[^)]+)\)/g)) {
      const path = join(ROOT, file.startsWith("docs/") ? join(file, "..", src) : src);
      assert.ok(existsSync(path), `${file} shows ${src}, which does not exist`);
    }
  }
});
