// Finds the TypeScript snippets in the docs, type-checks them against the built package and runs
// them, so that the docs never rot. Used by test/docs/tour.test.ts (which compares) and by
// scripts/tour-pictures.ts (which writes the outputs and pictures back into the docs).
//
// A snippet is a fenced block whose info string is `ts`; `ts no-run` blocks are skipped. A block
// fenced `text output` right after a snippet is that snippet's exact standard output. Snippets
// import from "micrograd-ts", which resolves to dist/ (run `npm run build` first), and run with
// plain `node` after type-stripping, so timings in them are those of the built library. Each
// snippet runs in its page's folder under out/docs-snippets/, where the files it writes (pictures:
// `*.svg`, graphs: `*.dot`) are collected.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import ts from "typescript";

export const ROOT: string = join(import.meta.dirname, "..");
export const WORK_DIR: string = join(ROOT, "out", "docs-snippets");

export interface Snippet {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** The expected standard output (a `text output` block right after the snippet), if any. */
  readonly expected?: string;
  /** Where the expected output block's body starts and ends in the file's lines (0-based, end exclusive). */
  readonly expectedLines?: readonly [number, number];
  /** A file name for the snippet: `<page>-<n>`. */
  readonly name: string;
}

/** Every Markdown file the snippets live in: README.md and docs/** (generated docs/api excluded). */
export function markdownFiles(): string[] {
  const files = ["README.md"];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (path !== join(ROOT, "docs", "api")) walk(path);
      } else if (name.endsWith(".md")) files.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, "docs"));
  return files;
}

/** The runnable snippets of one Markdown file. */
export function extractSnippets(file: string): Snippet[] {
  const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
  const blocks: { info: string; start: number; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S.*)?$/.exec(lines[i]);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== "```") j++;
    if (j === lines.length) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    blocks.push({ info: (open[1] ?? "").trim(), start: i + 1, end: j });
    i = j;
  }
  const page = file === "README.md" ? "readme" : basename(file, ".md");
  const snippets: Snippet[] = [];
  blocks.forEach((b, k) => {
    if (b.info !== "ts") return;
    const next = blocks[k + 1];
    const between = next
      ? lines
          .slice(b.end + 1, next.start - 1)
          .join("")
          .trim()
      : "x";
    const hasOutput = next !== undefined && next.info === "text output" && between === "";
    snippets.push({
      file,
      line: b.start,
      code: `${lines.slice(b.start, b.end).join("\n")}\n`,
      name: `${page}-${snippets.length + 1}`,
      ...(hasOutput
        ? {
            expected: `${lines.slice(next.start, next.end).join("\n")}\n`,
            expectedLines: [next.start, next.end] as const,
          }
        : {}),
    });
  });
  return snippets;
}

/** Type errors of the snippets, checked as ES modules against the built package's types. */
export function typecheck(snippets: readonly Snippet[]): string[] {
  const dir = join(WORK_DIR, "typecheck");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = snippets.map((s) => {
    const path = join(dir, `${s.name}.mts`);
    writeFileSync(path, s.code);
    return path;
  });
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const byFile = new Map(snippets.map((s, i) => [files[i], s]));
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const s = d.file ? byFile.get(d.file.fileName) : undefined;
    if (!s || !d.file || d.start === undefined) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${s.file}:${s.line + 1 + line}: ${text}`;
  });
}

export interface SnippetRun {
  readonly snippet: Snippet;
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly ms: number;
}

/** The folder a page's snippets run in (and write their files to). */
export function pageDir(snippet: Snippet): string {
  return join(WORK_DIR, "run", snippet.name.replace(/-\d+$/, ""));
}

/** Runs the snippets with plain `node`, `parallel` at a time, each in its page's folder. */
export async function runSnippets(snippets: readonly Snippet[], parallel = 2): Promise<SnippetRun[]> {
  rmSync(join(WORK_DIR, "run"), { recursive: true, force: true });
  const jobs = snippets.map((s) => {
    const dir = pageDir(s);
    mkdirSync(dir, { recursive: true });
    const js = ts.transpileModule(s.code, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    const path = join(dir, `${s.name}.mjs`);
    writeFileSync(path, js);
    return { s, dir, path };
  });
  const runs: SnippetRun[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const k = next++;
      const { s, dir, path } = jobs[k];
      runs[k] = await runOne(s, dir, path);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return runs;
}

function runOne(snippet: Snippet, cwd: string, path: string): Promise<SnippetRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ snippet, stdout, stderr, code, ms: performance.now() - started }));
  });
}

/** The files (pictures and graphs) the snippets of every page wrote, by name. */
export function writtenFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const base = join(WORK_DIR, "run");
  for (const page of readdirSync(base)) {
    for (const name of readdirSync(join(base, page))) {
      if (/\.(svg|dot)$/.test(name)) out.set(name, join(base, page, name));
    }
  }
  return out;
}

/** Renders Graphviz DOT to SVG with the wasm Graphviz of @viz-js/viz. */
export async function dotToSvg(dots: readonly string[]): Promise<string[]> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return dots.map((dot) => viz.renderString(dot, { format: "svg" }));
}
