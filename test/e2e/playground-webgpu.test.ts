// The playground's WebGPU engine in Chromium: with WebGPU on SwiftShader (Vulkan on the CPU,
// shipped with Debian's chromium) the engine choice offers WebGPU and the run trains there; with
// no adapter, or no navigator.gpu at all (a plain-http page on another host), the choice says so
// and a link asking for WebGPU trains on wasm with a note saying why. Never skipped: without
// chromium or its SwiftShader driver the tests fail with the reason.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../helpers/chromium.ts";
import { type BuiltPlayground, builtPlayground, recordProblems } from "./built-playground.ts";

/** The flags that give headless Chromium WebGPU on SwiftShader (see docs/webgpu.md). */
const WEBGPU_FLAGS = [
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-vulkan=swiftshader",
  "--use-webgpu-adapter=swiftshader",
];
const SWIFTSHADER = "/usr/lib/chromium/libvk_swiftshader.so";

describe("playground on WebGPU (chromium, SwiftShader)", () => {
  let site: BuiltPlayground;
  let gpuBrowser: Browser;
  const problems: string[] = [];

  before(async () => {
    if (!existsSync(SWIFTSHADER))
      throw new Error(
        `${SWIFTSHADER} is missing: WebGPU in headless chromium needs it (apt install chromium)`,
      );
    site = await builtPlayground();
    gpuBrowser = await launchChromium(WEBGPU_FLAGS);
  });

  after(async () => {
    await gpuBrowser?.close();
    await site?.close();
    assert.deepEqual(problems, []);
  });

  /** A fresh page of `browser` at `url`, once the first run has reported. */
  async function open(browser: Browser, url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    recordProblems(page, problems);
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
    return page;
  }

  const engineUsed = async (page: Page): Promise<string> => (await page.textContent("#engine-used")) ?? "";
  const webGpuOption = (page: Page): Promise<[boolean, string]> =>
    page.$eval("#engine option[value=webgpu]", (o) => [
      (o as HTMLOptionElement).disabled,
      o.textContent ?? "",
    ]);

  test("WebGPU is offered, chosen, trains the moons (the loss falls) and the page says it ran there", async () => {
    const page = await open(gpuBrowser, `${site.url}#steps=60`);
    await page.waitForFunction(
      () => !document.querySelector<HTMLOptionElement>("#engine option[value=webgpu]")?.disabled,
    );
    assert.deepEqual(await webGpuOption(page), [false, "WebGPU"]);
    await page.selectOption("#engine", "webgpu");
    await page.waitForFunction(() => location.hash.includes("engine=webgpu"));
    await page.waitForFunction(
      () => document.querySelector("#engine-used")?.textContent?.startsWith("WebGPU"),
      null,
      {
        timeout: 60_000,
      },
    );
    assert.match(await engineUsed(page), /^WebGPU, .*swiftshader.* \(tensors, float32\)$/i); // no fallback note
    const before = Number.parseFloat((await page.textContent("#train-loss")) ?? "");
    await page.click("#train");
    await page.waitForFunction(
      () => document.querySelector("#status")?.textContent?.startsWith("Step 60 of 60"),
      null,
      {
        timeout: 120_000,
      },
    );
    const afterLoss = Number.parseFloat((await page.textContent("#train-loss")) ?? "");
    assert.ok(afterLoss < 0.8 * before, `train loss ${before} → ${afterLoss}`);
    assert.match(
      await engineUsed(page),
      /^WebGPU, .*swiftshader.* \(tensors, float32\) · \d+(\.\d+)? ms per step$/i,
    );
    assert.ok(Number.parseFloat((await page.textContent("#train-acc")) ?? "") >= 80);
    await page.close();
  });

  test("with no adapter the choice is disabled, and a link asking for WebGPU trains on wasm and says why", async () => {
    // Headless chromium without the flags has navigator.gpu, but no adapter.
    const page = await open(site.browser, `${site.url}#engine=webgpu&steps=20`);
    await page.waitForFunction(
      () => document.querySelector<HTMLOptionElement>("#engine option[value=webgpu]")?.disabled,
    );
    assert.deepEqual(await webGpuOption(page), [true, "WebGPU (no GPU adapter here)"]);
    assert.match(
      await engineUsed(page),
      /^wasm SIMD( \+ FMA)? \(tensors, float32\): WebGPU unavailable \(init\("webgpu"\): WebGPU found no adapter \(no GPU, or no driver it accepts\)\)$/,
    );
    assert.equal(await page.inputValue("#engine"), "webgpu"); // the setting (and the link) stay
    await page.click("#train");
    await page.waitForFunction(() =>
      document.querySelector("#status")?.textContent?.startsWith("Step 20 of 20"),
    );
    await page.close();
  });

  test("without navigator.gpu (plain http from another host) the run trains on wasm and says why", async () => {
    // Not a secure context: the browser exposes no WebGPU at all there.
    const port = new URL(site.url).port;
    const plain = await launchChromium([...WEBGPU_FLAGS, "--host-resolver-rules=MAP plain.test 127.0.0.1"]);
    try {
      const page = await open(plain, `http://plain.test:${port}/sub/#engine=webgpu`);
      assert.equal(await page.evaluate(() => "gpu" in navigator), false);
      assert.deepEqual(await webGpuOption(page), [true, "WebGPU (not in this browser)"]);
      assert.match(
        await engineUsed(page),
        /^wasm SIMD( \+ FMA)? \(tensors, float32\): WebGPU unavailable \(this browser has no WebGPU \(navigator\.gpu\)\)$/,
      );
    } finally {
      await plain.close();
    }
  });
});
