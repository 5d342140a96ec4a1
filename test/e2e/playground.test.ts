// End-to-end tests of the playground: build it with Vite, serve the static files, drive the page
// in Debian's chromium with playwright-core. They never skip: without /usr/bin/chromium they fail
// and say how to install it (`.ci/run` does).
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { launchChromium } from "../helpers/chromium.ts";
import { type BuiltPlayground, builtPlayground, recordProblems } from "./built-playground.ts";

describe("playground (chromium)", () => {
  let site: BuiltPlayground;
  const problems: string[] = [];

  before(async () => {
    site = await builtPlayground();
  });

  after(async () => {
    await site?.close();
  });

  /** A fresh page at `hash`, recording console errors and uncaught exceptions. */
  async function open(hash = ""): Promise<Page> {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    recordProblems(page, problems);
    await page.goto(site.url + hash);
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
    return page;
  }

  const percent = async (page: Page, id: string): Promise<number> =>
    Number.parseFloat((await page.textContent(id)) ?? "");

  test("loads with the default settings in the controls and the URL", async () => {
    const page = await open();
    assert.equal(await page.inputValue("#dataset"), "moons");
    assert.equal(await page.inputValue("#seed"), "1");
    assert.match(page.url(), /#view=net&data=moons&.*seed=1&layers=8tanh_8tanh&/);
    assert.equal(await page.locator("#network canvas").count(), 2 + 8 + 8 + 1);
    await page.close();
  });

  test("every control has a label and is reachable with the keyboard", async () => {
    const page = await open("#data=custom&batch=mini&pts=0,0,0;1,1,1");
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("button, input, select, textarea")]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => {
          const label = el.closest("label")?.textContent ?? "";
          const own = el.getAttribute("aria-label") ?? (el.tagName === "BUTTON" ? el.textContent : "");
          return `${label}${own}`.trim() === "" || el.tabIndex < 0;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);
    await page.close();
  });

  test("trains moons until test accuracy reaches 95%", async () => {
    const page = await open();
    // Read the button in the same task as the click: on wasm the 500 steps can be over (and the
    // button back to "Train") before a separate read arrives.
    const pressed = await page.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>("#train");
      button?.click();
      return button?.getAttribute("aria-pressed");
    });
    assert.equal(pressed, "true");
    await page.waitForFunction(
      () => Number.parseFloat(document.querySelector("#test-acc")?.textContent ?? "") >= 95,
      null,
      {
        timeout: 20_000,
      },
    );
    assert.ok((await percent(page, "#test-acc")) >= 95);
    assert.ok((await percent(page, "#train-acc")) >= 90);
    // Chromium has WebAssembly SIMD: the default engine trained on it.
    assert.match(
      (await page.textContent("#engine-used")) ?? "",
      /^wasm SIMD( \+ FMA)? \(tensors, float32\) · \d+(\.\d+)? ms per step$/,
    );
    // Hovering a weight shows its value and gradient.
    await page.hover("#network line.weight >> nth=0");
    assert.match(
      (await page.textContent("#weight-info")) ?? "",
      /weight x → h1\.1: value -?\d\.\d{4}, gradient/,
    );
    // From the keyboard, on from the hovered weight: the other weight into h1.1, then its bias.
    await page.focus("#network");
    for (let i = 0; i < 2; i++) await page.keyboard.press("ArrowRight");
    assert.match(
      (await page.textContent("#weight-info")) ?? "",
      /^bias of h1\.1: value -?\d\.\d{4}, gradient/,
    );
    await page.close();
  });

  test("the scalar engine can be chosen: it goes into the URL, trains and says so", async () => {
    const page = await open();
    await page.waitForFunction(() => document.querySelector("#engine-used")?.textContent?.startsWith("wasm"));
    await choose(page, "#engine", "js");
    await page.waitForFunction(() => location.hash.includes("engine=js"));
    // The status read "Step 0" before the switch too: wait for the new run's own report.
    await page.waitForFunction(() => document.querySelector("#engine-used")?.textContent?.startsWith("js"));
    assert.equal(await page.textContent("#engine-used"), "js (compiled scalar tape, float64)");
    assert.match((await page.textContent("#status")) ?? "", /^Step 0 /);
    await page.click("#train");
    await page.waitForFunction(
      () => Number.parseFloat(document.querySelector("#test-acc")?.textContent ?? "") >= 95,
      null,
      { timeout: 20_000 },
    );
    await page.close();
  });

  test("without WebAssembly (V8 jitless) the run falls back to the scalar engine and says why", async () => {
    const jitless = await launchChromium(["--js-flags=--jitless"]);
    try {
      const page = await jitless.newPage();
      page.on("pageerror", (e) => problems.push(`pageerror (jitless): ${e.message}`));
      await page.goto(site.url);
      await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
      assert.equal(
        await page.textContent("#engine-used"),
        "js (compiled scalar tape, float64): wasm unavailable (this browser runs no WebAssembly)",
      );
      assert.equal(await page.inputValue("#engine"), "wasm"); // the setting (and the link) stay
      await page.click("#step");
      await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 1 "));
    } finally {
      await jitless.close();
    }
  });

  test("pause stops training and step advances one update", async () => {
    const page = await open("#steps=100000");
    await page.click("#train");
    await page.waitForFunction(() => /Step [1-9]/.test(document.querySelector("#status")?.textContent ?? ""));
    await page.click("#train");
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.includes("paused"));
    const at = Number(/Step (\d+)/.exec((await page.textContent("#status")) ?? "")?.[1]);
    await page.click("#step");
    await page.waitForFunction(
      (n) => document.querySelector("#status")?.textContent?.startsWith(`Step ${n} `),
      at + 1,
    );
    await page.close();
  });

  test("changing the network rebuilds it and goes into the URL", async () => {
    const page = await open();
    await page.click("#add-layer");
    await page.click("#layer-0-more");
    await page.selectOption("#layer-0-act", "relu");
    await page.click("#layer-1-remove");
    await page.waitForFunction(() => location.hash.includes("layers=9relu_4tanh"));
    await page.waitForFunction(() => document.querySelectorAll("#network canvas").length === 2 + 9 + 4 + 1);
    // Keyboard only: focus "More neurons in layer 2" and press Enter.
    await page.focus("#layer-1-more");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.hash.includes("layers=9relu_5tanh"));
    await page.click("#step");
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 1 "));
    await page.close();
  });

  test("steps backward through the graph one node at a time", async () => {
    const page = await open();
    const grad = (name: string) => page.textContent(`#graph g[data-name="${name}"] text.grad`);
    assert.equal(await grad("x1"), "grad ?");
    const nodes = await page.locator("#graph g.node").count();
    assert.equal(nodes, 10);
    for (let i = 1; i <= nodes; i++) {
      await page.click("#back-step");
      assert.equal(await page.locator("#explain li").count(), i);
    }
    assert.ok(await page.isDisabled("#back-step"));
    assert.match((await page.textContent("#explain li:last-child")) ?? "", /matches Value\.backward\(\)/);
    // o = tanh(n) = 1/√2, so do/dn = 1 - o² = 0.5, and x1.grad = w1 · 0.5, w1.grad = x1 · 0.5.
    assert.equal(await grad("o"), "grad 1");
    assert.equal(await grad("n"), "grad 0.5000");
    assert.equal(await grad("x1"), "grad -1.5000");
    assert.equal(await grad("w1"), "grad 1.0000");
    assert.equal(await grad("w2"), "grad 0");
    await page.selectOption("#expr", "expression");
    await page.click("#back-all");
    assert.equal(await grad("a"), "grad 6");
    assert.equal(await grad("f"), "grad 4");
    assert.match(page.url(), /expr=expression/);
    // Editing an input rebuilds the expression: with a = 3, d = 3·(−3) + 10 = 1 = ∂L/∂f.
    await fill(page, "#leaf-a", "3");
    await page.waitForFunction(() => location.hash.includes("vals=3%2C-3%2C10%2C-2"));
    assert.equal(await grad("f"), "grad ?");
    await page.click("#back-all");
    assert.equal(await grad("f"), "grad 1");
    assert.equal(await grad("a"), "grad 6");
    await page.close();
  });

  test("a shared URL reproduces the same settings and the same run", async () => {
    const first = await open();
    await choose(first, "#dataset", "circles");
    await fill(first, "#seed", "7");
    await choose(first, "#opt", "sgd");
    await fill(first, "#lr", "0.2");
    await choose(first, "#sched", "cosine");
    await choose(first, "#batch", "mini");
    await fill(first, "#bs", "10");
    await choose(first, "#loss", "bce");
    await first.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0 "));
    for (let i = 0; i < 5; i++) await first.click("#step");
    await first.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 5 "));
    const url = first.url();
    const loss = await first.textContent("#train-loss");
    const acc = await first.textContent("#test-acc");
    await first.close();

    const second = await open(url.slice(url.indexOf("#")));
    assert.equal(second.url(), url);
    assert.equal(await second.inputValue("#dataset"), "circles");
    assert.equal(await second.inputValue("#seed"), "7");
    assert.equal(await second.inputValue("#batch"), "mini");
    assert.equal(await second.inputValue("#bs"), "10");
    assert.equal(await second.inputValue("#loss"), "bce");
    for (let i = 0; i < 5; i++) await second.click("#step");
    await second.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 5 "));
    assert.equal(await second.textContent("#train-loss"), loss);
    assert.equal(await second.textContent("#test-acc"), acc);
    await second.close();
  });

  test("an invalid entry keeps its value; a link with bad values says what it ignored", async () => {
    const page = await open("#lr=-3&layers=99relu&seed=5");
    assert.equal(
      await page.textContent("#notice"),
      "Ignored values in the link (defaults used): layers, lr.",
    );
    assert.equal(await page.inputValue("#seed"), "5");
    assert.match(page.url(), /seed=5&layers=8tanh_8tanh&.*&lr=0\.03&/);
    await fill(page, "#lr", "-1");
    assert.equal(await page.inputValue("#lr"), "0.03");
    await fill(page, "#steps", "");
    assert.equal(await page.inputValue("#steps"), "500");
    await fill(page, "#steps", "40");
    await page.waitForFunction(() => location.hash.includes("steps=40&"));
    assert.equal(await page.textContent("#notice"), "");
    await page.close();
  });

  test("own points: clicking adds one, bad CSV names its line", async () => {
    const page = await open();
    await page.selectOption("#dataset", "custom");
    await page.waitForFunction(() => location.hash.includes("pts="));
    const count = () =>
      page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get("pts")?.split(";").length);
    const before = await count();
    await page.click("#boundary", { position: { x: 20, y: 20 } });
    await page.waitForFunction(
      (n) => new URLSearchParams(location.hash.slice(1)).get("pts")?.split(";").length === n,
      (before ?? 0) + 1,
    );
    await page.fill("#csv", "0,0,1\n1,abc,0");
    await page.click("#load-csv");
    assert.equal(
      await page.textContent("#csv-error"),
      'CSV line 2: expected x,y,class (3 numbers), got "1,abc,0"',
    );
    await page.fill("#csv", "0,0,1\n1,1,0\n-1,-1,0\n0.5,0.5,1");
    await page.click("#load-csv");
    await page.waitForFunction(() => location.hash.includes("pts=0%2C0%2C1%3B1%2C1%2C0"));
    await page.close();
  });

  test("the page's JavaScript stays small (page + worker under 38 KB gzipped, the other views lazy)", async () => {
    const assets = join(site.out, "assets");
    const scripts = (await readdir(assets)).filter((f) => f.endsWith(".js"));
    const size = async (f: string): Promise<number> =>
      gzipSync(await readFile(join(assets, f)), { level: 9 }).length;
    const name = (f: string): string => f.replace(/-[\w-]{8}\.js$/, "");
    const first = scripts.filter((f) => /^(index|worker)-/.test(f));
    const lazy = scripts.filter((f) => !first.includes(f));
    assert.equal(first.length, 2, `expected the page script and the worker, got ${scripts.join(", ")}`);
    // The tensor engine and the wasm backend load with a dynamic import, only to train on wasm;
    // the Language model and Digits views (their code, their workers and data) only when opened.
    // The two views share one chunk of the library (named after a module in it, "bars"), and each
    // worker bundle that trains on wasm has its own copy of the backend. The webgpu backend is a
    // chunk of its own (one per worker bundle) that only `init("webgpu")` loads. The Language
    // model view's GPT loads when it is chosen: its page chunk (sharing the dropout module with
    // the digits' CNN, "dropout") and a worker bundle of its own that trains on wasm.
    assert.deepEqual(
      lazy.map(name).sort(),
      [
        "bars",
        "digits-view",
        "digits-worker",
        "dropout",
        "gpu-engine",
        "lm-gpt",
        "lm-gpt-worker",
        "lm-view",
        "lm-worker",
        "tensor-engine",
        "wasm-backend",
        "wasm-backend",
        "wasm-backend",
        "webgpu-backend",
        "webgpu-backend",
        "webgpu-backend",
      ],
      `lazy chunks: ${lazy.join(", ")}`,
    );
    const sizes = new Map<string, number>();
    for (const f of scripts) sizes.set(f, await size(f));
    const total = (pattern: RegExp): number =>
      scripts.filter((f) => pattern.test(f)).reduce((n, f) => n + (sizes.get(f) ?? 0), 0);
    const initial = total(/^(index|worker)-/);
    // 35.3 KB before the elementwise rules moved below both engines (engine/kernels.ts, rules.ts,
    // expr.ts: about 1 KB in each of the two bundles) and the WebGPU choice; 37.7 KB after.
    assert.ok(initial < 38_000, `the page and worker scripts are ${initial} bytes gzipped`);
    const backend = Math.max(
      ...scripts.filter((f) => /^wasm-backend-/.test(f)).map((f) => sizes.get(f) ?? 0),
    );
    const wasm = total(/^tensor-engine-/) + backend;
    assert.ok(wasm < 20_000, `the wasm engine's scripts are ${wasm} bytes gzipped`);
    const lm = total(/^(lm-view|lm-worker|bars)-/);
    // 61.76 KB before the js backend's one-pass layer norm and softmax-gradient loops (fused
    // kernels every backend shares); 62.07 KB after.
    assert.ok(lm < 62_500, `the Language model view's scripts (with the names) are ${lm} bytes gzipped`);
    // what choosing the GPT adds: its page chunk and its own worker (with the names and wasm)
    const gpt = total(/^(lm-gpt|lm-gpt-worker|dropout)-/) + backend;
    // The wasm backend's chunk (in both budgets below) grew 14.2 -> 15.8 KB with its layer-norm,
    // softmax-gradient, row-sum and +−×÷ kernels: GPT 68.3 -> 70.1 KB, Digits 54.2 -> 56.1 KB;
    // then with its strided-copy and log-softmax-gradient kernels: GPT 71.2 KB, Digits 56.8 KB.
    assert.ok(gpt < 72_000, `the Language model view's GPT adds ${gpt} bytes gzipped`);
    const digits = total(/^(digits-|bars-)/) + backend;
    assert.ok(digits < 57_000, `the Digits view's scripts are ${digits} bytes gzipped`);
  });

  test("no console errors or warnings on any page", () => {
    assert.deepEqual(problems, []);
  });
});

async function choose(page: Page, selector: string, value: string): Promise<void> {
  await page.selectOption(selector, value);
}

async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.fill(selector, value);
  await page.press(selector, "Tab"); // leaving the field commits it, as for a visitor
}
