// Training speed of the built playground (web/dist, from `npm run playground:build`) in Debian's
// chromium, on each engine: steps per second of wall clock while "Train" runs (progress reports
// and drawing included), and the worker's own time per update (what the page shows next to the
// engine), a few settings from small to the largest network the page offers.
// Run with `npm run playground:build && node --import tsx scripts/playground-speed.ts [seconds] [site dir]`.
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
const site = await serve(process.argv[3] ?? `${root}web/dist`);
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
  // What a visitor waits for: the default run of 500 steps, from "Train" to "done" (its curves
  // get a point every 5 steps), best of three.
  const row: string[] = [];
  for (const engine of ["wasm", "js"]) {
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${site.url}#engine=${engine}`);
      await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
      times.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const start = performance.now();
              const status = document.querySelector("#status") as HTMLElement;
              new MutationObserver(() => {
                if (status.textContent?.includes("done")) resolve(performance.now() - start);
              }).observe(status, { childList: true, characterData: true, subtree: true });
              (document.querySelector("#train") as HTMLButtonElement).click();
            }),
        ),
      );
      await page.close();
    }
    row.push(`${engine}: ${Math.min(...times).toFixed(0)} ms`);
  }
  console.log(`the default run, 500 steps, Train to done\n  ${row.join("\n  ")}`);
} finally {
  await browser.close();
  await site.close();
}
