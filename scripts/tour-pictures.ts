// Runs every docs snippet (see scripts/doc-snippets.ts) against the built package and writes back
// what they produce: the pictures they write go to docs/img/ (Graphviz `.dot` files rendered to
// SVG), and each `text output` block is replaced by the snippet's actual output.
//
//   npm run build && node --import tsx scripts/tour-pictures.ts [substring of a file name]
//
// (or `npm run docs:tour`). test/docs/tour.test.ts checks that the committed docs match.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  dotToSvg,
  extractSnippets,
  markdownFiles,
  ROOT,
  runSnippets,
  type SnippetRun,
  writtenFiles,
} from "./doc-snippets.ts";

const only = process.argv[2];
const files = markdownFiles().filter((f) => only === undefined || f.includes(only));
const snippets = files.flatMap(extractSnippets);
const runs = await runSnippets(snippets);
let failed = false;
for (const run of runs) {
  const where = `${run.snippet.file}:${run.snippet.line}`;
  console.log(`${where} (${run.snippet.name}) ${Math.round(run.ms)} ms${run.code === 0 ? "" : " FAILED"}`);
  if (run.code !== 0) {
    failed = true;
    console.log(run.stderr);
  }
}
if (failed) process.exit(1);

// Output blocks, bottom-up within each file so earlier line numbers stay valid.
const byFile = new Map<string, SnippetRun[]>();
for (const run of runs)
  if (run.snippet.expectedLines) byFile.set(run.snippet.file, [...(byFile.get(run.snippet.file) ?? []), run]);
for (const [file, fileRuns] of byFile) {
  const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
  for (const run of [...fileRuns].reverse()) {
    const [start, end] = run.snippet.expectedLines as readonly [number, number];
    lines.splice(start, end - start, ...run.stdout.replace(/\n$/, "").split("\n"));
  }
  writeFileSync(join(ROOT, file), lines.join("\n"));
}

// Pictures.
const img = join(ROOT, "docs", "img");
mkdirSync(img, { recursive: true });
const written = writtenFiles();
const dots = [...written].filter(([name]) => name.endsWith(".dot"));
const rendered = await dotToSvg(dots.map(([, path]) => readFileSync(path, "utf8")));
for (const [i, [name]] of dots.entries())
  writeFileSync(join(img, name.replace(/\.dot$/, ".svg")), rendered[i]);
for (const [name, path] of written) if (name.endsWith(".svg")) copyFileSync(path, join(img, name));
console.log(`pictures: ${[...written.keys()].join(", ") || "none"}`);
