// Takes the playground's pictures in docs/img/ from the built page (web/dist, from
// `npm run playground:build`) in Debian's chromium:
//   playground.png             the default run trained, a few backward steps, a weight selected
//   playground-features.png    the circles learnt by a network without hidden layers from x² and y²
//   playground-regression.png  regression on the multi-gaussian data, the output as a colour
//   playground-phone.png       the top of the page at phone width (360 px): the plot first
//   playground-lm.png          the Language model view after 2,000 steps
//   playground-digits.png      the Digits view: the CNN trained, a drawn 7 read, its feature maps
// Run with `npm run playground:screenshot`.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { serve } from "../test/e2e/static-server.ts";
import { launchChromium } from "../test/helpers/chromium.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const img = `${root}docs/img/`;
const site = await serve(`${root}web/dist`);
const browser = await launchChromium();

/** A page at `hash` once its first run is set up. */
async function open(b: Browser, hash: string, width = 1280, height = 900): Promise<Page> {
  const page = await b.newPage({ viewport: { width, height } });
  await page.goto(site.url + hash);
  await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
  return page;
}

/** Waits until `selector`'s text matches `pattern` (a training run can take a minute). */
async function until(page: Page, selector: string, pattern: string): Promise<void> {
  await page.waitForFunction(
    ([s, p]) => new RegExp(p).test(document.querySelector(s)?.textContent ?? ""),
    [selector, pattern],
    { timeout: 120_000 },
  );
}

async function trained(hash: string): Promise<Page> {
  const page = await open(browser, hash);
  await page.click("#train");
  await until(page, "#status", "done$");
  return page;
}

try {
  await mkdir(img, { recursive: true });

  const first = await trained("");
  for (let i = 0; i < 6; i++) await first.click("#back-step");
  await first.focus("#network");
  for (let i = 0; i < 27; i++) await first.keyboard.press("ArrowRight");
  await first.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await first.screenshot({ path: `${img}playground.png`, fullPage: true });

  const features = await trained("#data=circles&noise=0.05&layers=&feat=x2_y2");
  await features.locator("main").screenshot({ path: `${img}playground-features.png` });

  const regression = await trained("#data=gauss&layers=8tanh_8tanh&steps=1000");
  await regression.locator("main").screenshot({ path: `${img}playground-regression.png` });

  const phone = await open(browser, "", 360, 740);
  await phone.screenshot({ path: `${img}playground-phone.png` });

  const lm = await open(browser, "#view=lm");
  await lm.click("#lm-train");
  await lm.waitForFunction(
    () => Number(/^Step (\d+)/.exec(document.querySelector("#lm-status")?.textContent ?? "")?.[1]) >= 2000,
    null,
    { timeout: 120_000 },
  );
  await lm.click("#lm-stop");
  await lm.fill("#lm-prefix", "jo");
  await lm.waitForFunction(() => document.querySelectorAll("#lm-next li").length === 10);
  await lm.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await lm.locator("#lm-view").screenshot({ path: `${img}playground-lm.png` });

  const digits = await open(browser, "#view=digits");
  await digits.selectOption("#digits-arch", "cnn");
  await digits.click("#digits-train");
  await until(digits, "#digits-status", "done$");
  await digits.locator("#digits-pad").scrollIntoViewIfNeeded();
  const box = await digits.locator("#digits-pad").boundingBox();
  if (box === null) throw new Error("the drawing pad is not on screen");
  // A 7: a bar across the top, then down to the left.
  const stroke: [number, number][] = [
    [0.25, 0.2],
    [0.45, 0.2],
    [0.7, 0.2],
    [0.62, 0.4],
    [0.55, 0.6],
    [0.48, 0.82],
  ];
  await digits.mouse.move(box.x + stroke[0][0] * box.width, box.y + stroke[0][1] * box.height);
  await digits.mouse.down();
  for (const [u, v] of stroke)
    await digits.mouse.move(box.x + u * box.width, box.y + v * box.height, { steps: 4 });
  await digits.mouse.up();
  await until(digits, "#digits-guess", "^It reads");
  await digits.locator("#digits-view").screenshot({ path: `${img}playground-digits.png` });
} finally {
  await browser.close();
  await site.close();
}
