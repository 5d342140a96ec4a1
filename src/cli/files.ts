import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "./io.ts";

/** The largest input file the CLI reads (256 MiB): past it, a file is refused before it is read. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

const CHUNK = 1024 * 1024;

/** How `readInput` checks a file. */
export interface ReadOptions {
  /** Text input (CSV, JSON): refuse a file whose first bytes hold a NUL byte (binary) (default false). */
  readonly text?: boolean;
  /** The most bytes to read (default `MAX_INPUT_BYTES`). */
  readonly maxBytes?: number;
}

const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;

/**
 * Reads a file named on the command line, in chunks and never more than `maxBytes` (a device such
 * as /dev/urandom or a pipe has no size to check first). A missing or unreadable file, a file over
 * the limit and, for text, a binary file are usage errors (exit 2) that name the flag.
 */
export async function readInput(path: string, flag: string, options: ReadOptions = {}): Promise<Uint8Array> {
  const { text = false, maxBytes = MAX_INPUT_BYTES } = options;
  const fail = (why: string): never => {
    throw new UsageError(`${flag}: cannot read "${path}" (${why})`);
  };
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
  } catch (error) {
    fail((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  if (handle === undefined) return fail("not opened");
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) fail("it is a directory");
    if (stat.isFile() && stat.size > maxBytes) {
      fail(`${mib(stat.size)}, more than the ${mib(maxBytes)} micrograd reads`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      if (text && total === 0 && chunk.subarray(0, bytesRead).includes(0)) {
        fail("binary data (a NUL byte in the first bytes), expected text");
      }
      total += bytesRead;
      if (total > maxBytes) fail(`more than the ${mib(maxBytes)} micrograd reads`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return bytes;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return fail((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  } finally {
    await handle.close();
  }
}

// Our temporary files: `<target>.<12 hex digits>.tmp`, next to the target.
const temporaryName = (path: string): string => `${path}.${randomBytes(6).toString("hex")}.tmp`;

const cleaned = new Set<string>();

// Temporaries older than this were left by a killed write (a live write takes far less).
const STALE_MS = 10 * 60 * 1000;

/**
 * Removes temporaries of `path` that an earlier write left behind when it was killed: files named
 * as `writeFileAtomic` names them and older than ten minutes (a write in progress is younger).
 */
export function removeStaleTemporaries(path: string): void {
  // once per target and run: a checkpoint written every step should not list its folder each time
  if (cleaned.has(path)) return;
  cleaned.add(path);
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) continue;
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > STALE_MS) rmSync(file, { force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

/** The real cause of a failed write, named with the file and flag (ENOENT of a temporary says little). */
export function writeFailure(error: unknown, path: string, flag?: string): Error {
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code !== "string") return error as Error;
  const why: Record<string, string> = {
    ENOSPC: "the disk is full",
    EROFS: "the file system is read-only",
    EACCES: "permission denied",
    EPERM: "permission denied",
    ENOENT: `the folder "${dirname(path)}" does not exist`,
    ENOTDIR: `"${dirname(path)}" is not a folder`,
    EISDIR: "it is a folder",
    EDQUOT: "the disk quota is exceeded",
  };
  const message = `${flag ? `${flag}: ` : ""}cannot write "${path}": ${why[e.code] ?? e.message} (${e.code})`;
  return Object.assign(new Error(message), { code: e.code });
}

/**
 * Writes a file atomically: the bytes go to a temporary file next to it, which is flushed to disk
 * and then renamed over the target. A crash at any moment leaves either the old file or the new
 * one, never a half-written file; temporaries an earlier killed write left are removed. A failure
 * names the target (and `flag`) and its real cause (ENOSPC, EROFS, ...).
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, flag?: string): Promise<void> {
  removeStaleTemporaries(path);
  const temporary = temporaryName(path);
  try {
    await writeFile(temporary, data, { flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw writeFailure(error, path, flag);
  }
}

/** `writeFileAtomic` for callbacks that cannot wait (training checkpoints). */
export function writeFileAtomicSync(path: string, data: Uint8Array | string, flag?: string): void {
  removeStaleTemporaries(path);
  const temporary = temporaryName(path);
  try {
    const fd = openSync(temporary, "w");
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw writeFailure(error, path, flag);
  }
}

/**
 * Checks before any work that `flag`'s output file can be written: its folder exists and is
 * writable, the path is not a folder, and it is none of the `inputs` (a run must not overwrite
 * its own data). Refuses with a usage error that names the flag.
 */
export function checkOutputPath(path: string, flag: string, inputs: readonly string[] = []): void {
  const same = (a: string, b: string): boolean => {
    const real = (p: string): string => {
      try {
        return realpathSync(p);
      } catch {
        return resolve(p);
      }
    };
    return real(a) === real(b);
  };
  const input = inputs.find((i) => same(i, path));
  if (input !== undefined) {
    throw new UsageError(`${flag} "${path}" is the input file "${input}": choose another name`);
  }
  checkWritableFolder(dirname(path), flag, path);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${flag} "${path}" is a folder, not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
}

/** Checks that `dir` exists (or can be created, with `create`) and is writable; names `flag`. */
export function checkWritableFolder(dir: string, flag: string, target = dir): void {
  let existing = resolve(dir);
  // A folder that does not exist yet is fine where it would be created (--plots makes it).
  while (!safeExists(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (existing !== resolve(dir) && target !== dir) {
    throw new UsageError(`${flag} "${target}": the folder "${dir}" does not exist`);
  }
  try {
    if (!statSync(existing).isDirectory())
      throw new UsageError(`${flag} "${target}": "${existing}" is not a folder`);
    accessSync(existing, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EROFS" ? "the file system is read-only" : "permission denied";
    throw new UsageError(`${flag} "${target}": cannot write in "${existing}": ${why} (${code})`);
  }
}

function safeExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
