// Takes docs/img/playground.png: the built playground (web/dist, from `npm run playground:build`)
// in Debian's chromium after training the default run and a few backward steps.
// Run with `npm run playground:screenshot`.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { serve } from "../test/e2e/static-server.ts";
import { launchChromium } from "../test/helpers/chromium.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const site = await serve(`${root}web/dist`);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.url);
  await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
  await page.click("#train");
  await page.waitForFunction(() => document.querySelector("#status")?.textContent?.includes("done"), null, {
    timeout: 60_000,
  });
  for (let i = 0; i < 6; i++) await page.click("#back-step");
  await page.focus("#network");
  for (let i = 0; i < 27; i++) await page.keyboard.press("ArrowRight");
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await mkdir(`${root}docs/img`, { recursive: true });
  await page.screenshot({ path: `${root}docs/img/playground.png`, fullPage: true });
} finally {
  await browser.close();
  await site.close();
}
