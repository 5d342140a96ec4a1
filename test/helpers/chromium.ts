import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium (installed by .ci/run); tests that need it fail, never skip, without it. */
export const CHROMIUM = "/usr/bin/chromium";

// Headless, as root, on a machine with no network beyond the package registries.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Starts Debian's chromium through playwright-core (with `extra` flags), or says how to install it. */
export async function launchChromium(extra: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extra] });
}
