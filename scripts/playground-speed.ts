// Training speed of the built playground (web/dist, from `npm run playground:build`) in Debian's
// chromium, on each engine: steps per second of wall clock while "Train" runs (progress reports
// and drawing included), and the worker's own time per update (what the page shows next to the
// engine), a few settings from small to the largest network the page offers.
// Run with `npm run playground:build && node --import tsx scripts/playground-speed.ts`.
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { serve } from "../test/e2e/static-server.ts";
import { launchChromium } from "../test/helpers/chromium.ts";

const CASES: [string, string][] = [
  ["default: moons 200 points (140 train), 2-8-8-1 tanh, full batch", ""],
  ["mini-batches of 16, default network", "batch=mini&bs=16"],
  ["1000 points (700 train), 2-16-16-16-16-1 tanh, full batch", "n=1000&layers=16tanh_16tanh_16tanh_16tanh"],
];
const SECONDS = Number(process.argv[2] ?? 4);

const root = fileURLToPath(new URL("..", import.meta.url));
const site = await serve(`${root}web/dist`);
const browser = await launchChromium();

async function stepsNow(page: Page): Promise<[number, number]> {
  return page.evaluate(() => [
    performance.now(),
    Number(/Step (\d+)/.exec(document.querySelector("#status")?.textContent ?? "")?.[1]),
  ]);
}

try {
  for (const [name, hash] of CASES) {
    const row: string[] = [];
    for (const engine of ["wasm", "js"]) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${site.url}#steps=100000&engine=${engine}${hash === "" ? "" : `&${hash}`}`);
      await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
      const label = (await page.textContent("#engine-used")) ?? "";
      await page.click("#train");
      await page.waitForTimeout(1000); // warm up: the engine's first steps compile and record
      const [t0, s0] = await stepsNow(page);
      await page.waitForTimeout(SECONDS * 1000);
      const [t1, s1] = await stepsNow(page);
      const shown = /· (\S+) ms per step/.exec((await page.textContent("#engine-used")) ?? "")?.[1];
      await page.close();
      const perSecond = ((s1 - s0) * 1000) / (t1 - t0);
      row.push(
        `${label.split(" (")[0]}: ${perSecond.toFixed(0)} steps/s of wall clock (${(1000 / perSecond).toFixed(3)} ms), ${shown} ms per update in the worker`,
      );
    }
    console.log(`${name}\n  ${row.join("\n  ")}`);
  }
} finally {
  await browser.close();
  await site.close();
}
