// What every end-to-end file of the playground starts from: the page built with Vite into a
// temporary folder, served over http from a sub-folder, and Debian's chromium to drive it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { launchChromium } from "../helpers/chromium.ts";
import { serve } from "./static-server.ts";

const web = fileURLToPath(new URL("../../web/", import.meta.url));

/** The built page (`out`), its URL (`url`) and a browser; `close` ends all three. */
export interface BuiltPlayground {
  readonly out: string;
  readonly url: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Builds the playground into a fresh temporary folder, serves it and starts chromium. */
export async function builtPlayground(): Promise<BuiltPlayground> {
  const out = await mkdtemp(join(tmpdir(), "playground-"));
  await build({
    configFile: join(web, "vite.config.ts"),
    build: { outDir: out, emptyOutDir: true },
    logLevel: "error",
  });
  const site = await serve(out);
  const browser = await launchChromium();
  return {
    out,
    url: site.url,
    browser,
    async close() {
      await browser.close();
      await site.close();
      await rm(out, { recursive: true, force: true });
    },
  };
}

/**
 * Records the page's console errors and warnings and its uncaught exceptions in `problems`
 * (but not chromium's willReadFrequently hint, which the tests' own pixel reads cause, nor its
 * "No available adapters." when the page asks for a WebGPU adapter on a machine with none, to
 * offer the WebGPU engine or not).
 */
export function recordProblems(page: Page, problems: string[]): void {
  page.on("console", (m) => {
    if (m.text().includes("willReadFrequently") || m.text() === "No available adapters.") return;
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
}
