// End-to-end tests of the playground's Digits view in Debian's chromium: the MLP and the
// convolutional network train on MNIST in a worker on the wasm backend, with the accuracy curve;
// a "1" drawn with the mouse, or with a finger on a phone, is read as 1 as it is drawn, with the
// hidden layers' outputs; the view's code and digits load only when it is opened.
import assert from "node:assert/strict";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { launchChromium } from "../helpers/chromium.ts";
import { type BuiltPlayground, builtPlayground, recordProblems } from "./built-playground.ts";

describe("playground, Digits view (chromium)", () => {
  let site: BuiltPlayground;
  const problems: string[] = [];

  before(async () => {
    site = await builtPlayground();
  });

  after(async () => {
    await site?.close();
  });

  async function open(hash: string, options: { width?: number; touch?: boolean } = {}): Promise<Page> {
    const context = await site.browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      hasTouch: options.touch ?? false,
    });
    const page = await context.newPage();
    recordProblems(page, problems);
    await page.goto(site.url + hash);
    // Loaded: the 2-D network's worker reports its run (it starts underneath whichever view shows).
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
    return page;
  }

  const text = async (page: Page, id: string): Promise<string> => (await page.textContent(id)) ?? "";
  const status = (page: Page, pattern: string, timeout = 60_000) =>
    page.waitForFunction(
      (p) => new RegExp(p).test(document.querySelector("#digits-status")?.textContent ?? ""),
      pattern,
      { timeout },
    );
  /** The pad's box on screen, scrolled into view; `at(u, v)` is the point at fractions of it. */
  async function pad(page: Page): Promise<(u: number, v: number) => { x: number; y: number }> {
    await page.locator("#digits-pad").scrollIntoViewIfNeeded();
    const box = await page.locator("#digits-pad").boundingBox();
    assert.ok(box !== null);
    return (u, v) => ({ x: box.x + u * box.width, y: box.y + v * box.height });
  }
  /** The digit the view reads now ("" when it reads none). */
  const guess = (page: Page) =>
    page.evaluate(() => document.querySelector<HTMLElement>("#digits-guess")?.dataset.digit ?? "");

  test("the MLP trains on wasm with its accuracy curve, and a 1 drawn with the mouse reads as 1 while it is drawn", async () => {
    const page = await open("#view=digits");
    assert.equal(await page.isVisible("#net-view"), false);
    assert.equal(await text(page, "#digits-guess"), "Train a network, then draw a digit.");
    await page.click("#digits-train");
    await status(page, "^MLP 784-128-10 .* on wasm SIMD");
    await status(page, "· done$");
    const accuracy = Number(/test accuracy (\d+\.\d)%/.exec(await text(page, "#digits-status"))?.[1]);
    assert.ok(accuracy >= 90, `test accuracy ${accuracy}%`);
    // The curve: the training batches at each report, the test digits at each of 16 evaluations.
    const [batches, tests] = ((await page.getAttribute("#digits-chart", "data-points")) ?? "").split(" ");
    assert.ok(Number(batches) >= 5 && Number(tests) === 16, `curve points: ${batches} and ${tests}`);
    const at = await pad(page);
    await page.mouse.move(at(0.5, 0.12).x, at(0.5, 0.12).y);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++)
      await page.mouse.move(at(0.5, 0.12 + 0.07 * i).x, at(0.5, 0.12 + 0.07 * i).y);
    // Half a stroke in, the pen still down: the view already reads it.
    await page.waitForFunction(() => document.querySelector("#digits-probs")?.children.length === 10);
    for (let i = 6; i <= 11; i++)
      await page.mouse.move(at(0.5, 0.12 + 0.07 * i).x, at(0.5, 0.12 + 0.07 * i).y);
    await page.mouse.up();
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>("#digits-guess")?.dataset.digit === "1",
    );
    assert.match(await text(page, "#digits-guess"), /^It reads a 1 \((\d+\.\d)%\)$/);
    const bars = await page.locator("#digits-probs .bar-label").allTextContents();
    const shares = bars.map((b) => Number(/(\d+\.\d)%$/.exec(b)?.[1]));
    assert.equal(shares.indexOf(Math.max(...shares)), 1, bars.join(", "));
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 1, bars.join(", "));
    assert.match(await text(page, "#digits-hidden figcaption"), /^Layer 1: 128 units, \d+ active$/);
    // Clear empties the pad and the reading.
    await page.click("#digits-clear");
    await page.waitForFunction(() => document.querySelector("#digits-probs")?.children.length === 0);
    assert.equal(await guess(page), "");
    assert.equal(await text(page, "#digits-guess"), "Draw a digit on the pad.");
    await page.close();
  });

  test("the convolutional network trains and shows its feature maps; on a phone a finger draws", async () => {
    const page = await open("#view=digits", { width: 360, touch: true });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));
    await page.selectOption("#digits-arch", "cnn");
    await page.click("#digits-train");
    await status(page, "^CNN conv5x5 8 .* on wasm SIMD");
    // The first evaluation of the test digits (after half an epoch), then stop: the page keeps those weights.
    await status(page, "test accuracy \\d");
    await page.click("#digits-stop");
    await status(page, "· stopped$");
    const accuracy = Number(/test accuracy (\d+\.\d)%/.exec(await text(page, "#digits-status"))?.[1]);
    assert.ok(accuracy >= 50, `test accuracy ${accuracy}%`);
    // A finger stroke, as chromium's touch input delivers it (pointer events of type "touch").
    const at = await pad(page);
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", u: number, v: number) =>
      cdp.send("Input.dispatchTouchEvent", {
        type,
        touchPoints: type === "touchEnd" ? [] : [{ ...at(u, v), id: 1 }],
      });
    await touch("touchStart", 0.5, 0.15);
    for (let i = 1; i <= 10; i++) await touch("touchMove", 0.5, 0.15 + 0.07 * i);
    await touch("touchEnd", 0.5, 0.85);
    await page.waitForFunction(() => document.querySelectorAll("#digits-hidden figure").length === 3);
    const captions = await page.locator("#digits-hidden figcaption").allTextContents();
    assert.equal(captions[0], "Layer 1: 8 feature maps of 12×12");
    assert.equal(captions[1], "Layer 2: 16 feature maps of 4×4");
    assert.match(captions[2], /^Layer 3: 64 units, \d+ active$/);
    assert.equal(await page.locator("#digits-hidden canvas.map").count(), 8 + 16);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));
    await page.close();
  });

  test("without WebAssembly (V8 jitless) the digits train on the js backend and the status says why", async () => {
    const jitless = await launchChromium(["--js-flags=--jitless"]);
    try {
      const page = await jitless.newPage();
      recordProblems(page, problems);
      await page.goto(`${site.url}#view=digits`);
      await page.click("#digits-train");
      await status(
        page,
        "on js \\(tensors, float32\\): wasm unavailable \\(this browser runs no WebAssembly\\)",
      );
      await status(page, "^Step [1-9]");
    } finally {
      await jitless.close();
    }
  });

  test("the view's scripts and digits load only when it is opened; the digits file is under 500 KB", async () => {
    const assets = join(site.out, "assets");
    const files = await readdir(assets);
    const data = files.filter((f) => f.endsWith(".bin"));
    assert.equal(data.length, 1, files.join(", "));
    const bytes = (await stat(join(assets, data[0]))).size;
    assert.ok(bytes < 500_000, `${data[0]} is ${bytes} bytes`);
    const page = await open("#view=net");
    const fetched: string[] = [];
    page.on("request", (r) => fetched.push(r.url()));
    await page.click("#view-digits");
    await page.waitForSelector("#digits-view:not([hidden])");
    await page.waitForFunction(() => document.querySelector("#digits-guess")?.textContent !== "");
    assert.ok(
      fetched.some((u) => /digits-view-[\w-]+\.js$/.test(u)),
      fetched.join(", "),
    );
    assert.ok(!fetched.some((u) => u.endsWith(".bin")), "the digits wait for Train");
    await page.close();
  });

  test("no console errors or warnings on any page", () => {
    assert.deepEqual(problems, []);
  });
});
