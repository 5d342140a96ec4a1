import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { UsageError } from "./io.ts";

/** Reads a file named on the command line; a missing or unreadable file is a usage error (exit 2). */
export async function readInput(path: string, flag: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`${flag}: cannot read "${path}" (${code})`);
  }
}

/**
 * Writes a file atomically: the bytes go to a temporary file next to it, which is flushed to disk
 * and then renamed over the target. A crash at any moment leaves either the old file or the new
 * one, never a half-written file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, data, { flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** `writeFileAtomic` for callbacks that cannot wait (training checkpoints). */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
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
    throw error;
  }
}
