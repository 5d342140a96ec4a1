// End-to-end tests of the playground's second round (issue 19), in Debian's chromium: faults
// fixed (divergence, capped links, split by class, rate steps, backprop wording, phone layout,
// one palette) and TensorFlow Playground's features (inputs, regression, L1, discretize and
// show-test toggles, editable weights, a neuron on the big plot).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { type BuiltPlayground, builtPlayground, recordProblems } from "./built-playground.ts";

describe("playground, second round (chromium)", () => {
  let site: BuiltPlayground;
  const problems: string[] = [];

  before(async () => {
    site = await builtPlayground();
  });

  after(async () => {
    await site?.close();
  });

  async function open(hash = "", viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await site.browser.newPage({ viewport });
    recordProblems(page, problems);
    await page.goto(site.url + hash);
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Step 0"));
    return page;
  }

  const text = async (page: Page, id: string): Promise<string> => (await page.textContent(id)) ?? "";
  const status = (page: Page, pattern: string) =>
    page.waitForFunction(
      (p) => new RegExp(p).test(document.querySelector("#status")?.textContent ?? ""),
      pattern,
      {
        timeout: 20_000,
      },
    );
  /** RGB of the boundary canvas at canvas pixel (x, y). */
  const pixel = (page: Page, x: number, y: number): Promise<number[]> =>
    page.evaluate(
      ([px, py]) => {
        const c = document.querySelector<HTMLCanvasElement>("#boundary");
        return [...(c?.getContext("2d")?.getImageData(px, py, 1, 1).data ?? [])].slice(0, 3);
      },
      [x, y],
    );
  /** How many different colours a 24×24 sample of the boundary holds, and the share of its three commonest. */
  const colours = (page: Page): Promise<{ count: number; top3: number }> =>
    page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>("#boundary") as HTMLCanvasElement;
      const data = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
      const seen = new Map<string, number>();
      let all = 0;
      for (let r = 5; r < c.height; r += 20)
        for (let q = 5; q < c.width; q += 20) {
          const i = 4 * (r * c.width + q);
          const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          all++;
        }
      const counts = [...seen.values()].sort((x, y) => y - x);
      return { count: seen.size, top3: (counts[0] + (counts[1] ?? 0) + (counts[2] ?? 0)) / all };
    });
  const train = async (page: Page): Promise<void> => {
    await page.click("#train");
    await status(page, "· done$");
  };

  test("a diverging run stops and says why; its huge numbers read well", async () => {
    const page = await open(
      "#lr=10&opt=sgd&layers=16linear_16linear_16linear_16linear_16linear_16linear&loss=mse&steps=300&l2=1",
    );
    await page.click("#train");
    await status(page, "· stopped: the loss became");
    assert.match(
      await text(page, "#status"),
      /stopped: the loss became (NaN|Infinity) at step \d+: try a smaller learning rate/,
    );
    assert.equal(await page.textContent("#train"), "Train");
    assert.ok(await page.isDisabled("#train"));
    // No 20-digit numbers or clipped exponents: "1.83 × 10⁶⁵", or "∞"/"–".
    for (const id of ["#train-loss", "#test-loss"])
      assert.match(await text(page, id), /^(\d+\.\d{4}|\d(\.\d+)? × 10[⁰¹²³⁴⁵⁶⁷⁸⁹]+|∞|–)$/);
    const labels = (await page.getAttribute("#loss-chart", "data-labels")) ?? "";
    assert.doesNotMatch(labels, /e\+/);
    await page.close();
  });

  test("a link with 1,500 own points keeps 1,000 and says so", async () => {
    const pts = Array.from(
      { length: 1500 },
      (_, i) => `${((i % 40) / 20 - 1).toFixed(2)},${(i / 750 - 1).toFixed(2)},${i % 2}`,
    );
    const page = await open(`#data=custom&pts=${encodeURIComponent(pts.join(";"))}`);
    assert.equal(await text(page, "#notice"), "pts: the first 1000 of 1500 points kept (at most 1000).");
    const kept = await page.evaluate(
      () => new URLSearchParams(location.hash.slice(1)).get("pts")?.split(";").length,
    );
    assert.equal(kept, 1000);
    await page.close();
  });

  test("own points are split by class, and a class without training points is warned about", async () => {
    // Two points of class 2 at (1, 1) and (1.5, 1.5): one trains (a filled dot), one tests (ringed).
    const page = await open("#data=custom&test=50&pts=0,0,0;0.2,0,0;-1,0,1;-1.2,0,1;1,1,2;1.5,1.5,2");
    const centre = (x: number, y: number) => pixel(page, ((x + 2) / 4) * 480, (1 - (y + 2) / 4) * 480);
    const dots = [await centre(1, 1), await centre(1.5, 1.5)];
    const white = dots.filter((d) => d.every((v) => v > 245)).length;
    assert.equal(white, 1, `dot centres ${JSON.stringify(dots)}`);
    assert.equal(await text(page, "#split-warning"), "");
    await page.goto(`${site.url}#data=custom&pts=0,0,0;1,1,0;0.5,0.5,2`);
    await page.waitForFunction(() => document.querySelector("#split-warning")?.textContent !== "");
    assert.equal(
      await text(page, "#split-warning"),
      "No training points of class 1: the network cannot learn it.",
    );
    await page.close();
  });

  test("the learning rate steps 0.03 → 0.1 with an arrow key, mid-run, and out-of-range entries say so", async () => {
    const page = await open("#steps=100000");
    await page.click("#train");
    await status(page, "^Step [1-9]\\d* ");
    await page.focus("#lr");
    await page.keyboard.press("ArrowUp");
    assert.equal(await page.inputValue("#lr"), "0.1");
    await page.waitForFunction(() => location.hash.includes("&lr=0.1&"));
    await status(page, "lr 0\\.1 · training");
    // The run went on: no reset to step 0.
    const step = Number(/Step (\d+)/.exec(await text(page, "#status"))?.[1]);
    assert.ok(step > 1, `step ${step}`);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.inputValue("#lr"), "0.01");
    await page.fill("#lr", "20");
    await page.press("#lr", "Tab");
    assert.equal(await text(page, "#notice"), "Learning rate: 20 is not in 0.000001 to 10, kept 0.01.");
    assert.equal(await page.inputValue("#lr"), "0.01");
    // L1 and a schedule apply from the next step too.
    await page.fill("#l1", "0.001");
    await page.press("#l1", "Tab");
    await page.waitForFunction(() => location.hash.includes("&l1=0.001&"));
    const later = Number(/Step (\d+)/.exec(await text(page, "#status"))?.[1]);
    assert.ok(later >= step, `step ${later} after ${step}`);
    await page.click("#train");
    await page.close();
  });

  test("backpropagation reads (p − y)^2 and names constants as constants", async () => {
    const page = await open("#expr=loss");
    await page.click("#back-all");
    const all = (await page.locator("#explain li").allTextContents()).join("\n");
    assert.match(all, /L = \(p − y\)\^2/);
    assert.match(all, /−1 is a constant/);
    assert.match(all, /the constant −1's grad \+=/);
    assert.doesNotMatch(all, /∂L\/∂-1|∂L\/∂−1|p − y\^2/);
    assert.match(all, /matches Value\.backward\(\)/);
    await page.close();
  });

  test("on a phone the plot comes before the settings, nothing scrolls sideways, the output node is in view", async () => {
    const page = await open("", { width: 360, height: 740 });
    const layout = await page.evaluate(() => {
      const graph = document.querySelector("#graph")?.getBoundingClientRect() as DOMRect;
      const out = document.querySelector('#graph g[data-name="o"]')?.getBoundingClientRect() as DOMRect;
      return {
        plane: document.querySelector("#boundary")?.getBoundingClientRect().top ?? 0,
        settings: document.querySelector(".controls")?.getBoundingClientRect().top ?? 0,
        page: document.documentElement.scrollWidth,
        inView: out.left >= graph.left - 1 && out.right <= graph.right + 1,
      };
    });
    assert.ok(layout.plane < layout.settings, JSON.stringify(layout));
    assert.ok(layout.page <= 360, JSON.stringify(layout));
    assert.ok(layout.inView, JSON.stringify(layout));
    await page.close();
  });

  test("one palette: class 0 is blue (#1f77b4) as in the CLI's pictures, class 1 orange", async () => {
    const page = await open("#data=custom&test=0&pts=0,0,0;1,1,1");
    assert.deepEqual(await pixel(page, 240, 240), [31, 119, 180]);
    assert.deepEqual(await pixel(page, 360, 120), [255, 127, 14]);
    await page.close();
  });

  test("x² and y² inputs let a network without hidden layers separate the circles", async () => {
    const page = await open("#data=circles&layers=&noise=0.05");
    await train(page);
    const plain = Number.parseFloat(await text(page, "#test-acc"));
    await page.check("#feat-x2");
    await page.check("#feat-y2");
    await page.uncheck("#feat-x");
    await page.uncheck("#feat-y");
    await page.waitForFunction(() => location.hash.includes("feat=x2_y2"));
    // each toggle restarts the run: wait for the picture of the last one (x², y² only)
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("#network text.input-name")].map((t) => t.textContent).join() ===
        "x²,y²",
    );
    await status(page, "^Step 0 ");
    await train(page);
    const squared = Number.parseFloat(await text(page, "#test-acc"));
    assert.ok(plain < 75 && squared >= 95, `x, y: ${plain}%; x², y²: ${squared}%`);
    await page.close();
  });

  test("regression on the plane reaches a low MSE, shown as a continuous colour", async () => {
    const page = await open("#data=plane&noise=0&layers=4tanh");
    assert.ok(await page.isDisabled("#loss"));
    await train(page);
    const mse = Number.parseFloat(await text(page, "#test-loss"));
    assert.ok(mse < 0.01, `test MSE ${mse}`);
    assert.equal(await text(page, "#test-acc"), "–");
    // y = (x1 + x2)/2: blue towards the top right, orange towards the bottom left, white between.
    const [r1, , b1] = await pixel(page, 470, 10);
    const [r2, , b2] = await pixel(page, 10, 470);
    assert.ok(b1 > r1 && r2 > b2, `corners ${r1},${b1} and ${r2},${b2}`);
    assert.ok((await colours(page)).count > 20);
    await page.close();
  });

  test("discretize shows classes only; hiding test data hides the ringed dots", async () => {
    const page = await open("#steps=200");
    await train(page);
    const smooth = (await colours(page)).top3;
    await page.check("#discretize");
    await page.waitForFunction(() => location.hash.includes("discretize=1"));
    const discrete = (await colours(page)).top3;
    // Two flat class colours (and white dots) cover the plane; shades of confidence do not.
    assert.ok(
      discrete > 0.8 && smooth < 0.5,
      `three commonest colours: ${smooth} smooth, ${discrete} discretized`,
    );
    const rings = () => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get("showtest"));
    await page.uncheck("#showtest");
    await page.waitForFunction(() => location.hash.includes("showtest=0"));
    assert.equal(await rings(), "0");
    assert.equal(await text(page, "#status").then((s) => s.endsWith("done")), true); // no restart
    await page.close();
  });

  test("clicking a weight edits it, and the next step starts from the typed value", async () => {
    const page = await open("#opt=sgd&lr=0.01");
    await page.click("#network line.weight >> nth=0");
    await page.fill("#param-value", "2.5");
    await page.press("#param-value", "Enter");
    await page.waitForFunction(() =>
      /value 2\.5000,/.test(document.querySelector("#weight-info")?.textContent ?? ""),
    );
    await page.click("#step");
    await status(page, "^Step 1 ");
    await page.waitForFunction(() =>
      /\(step 1\)/.test(document.querySelector("#weight-info")?.textContent ?? ""),
    );
    const value = Number(/value (-?\d+\.\d+)/.exec(await text(page, "#weight-info"))?.[1]);
    assert.ok(Math.abs(value - 2.5) < 0.05 && value !== 2.5, `after one step: ${value}`);
    await page.close();
  });

  test("hovering a hidden neuron shows its output on the big plot", async () => {
    const page = await open();
    await page.click("#step");
    await status(page, "^Step 1 ");
    const before = await pixel(page, 100, 100);
    await page.hover("#network canvas.neuron >> nth=3"); // inputs x, y, then h1.1, h1.2
    await page.waitForFunction(() =>
      document.querySelector("#plane-caption")?.textContent?.startsWith("Showing hidden neuron h1.2"),
    );
    const after = await pixel(page, 100, 100);
    assert.notDeepEqual(after, before);
    await page.mouse.move(5, 5);
    await page.waitForFunction(
      () => !document.querySelector("#plane-caption")?.textContent?.startsWith("Showing"),
    );
    await page.close();
  });

  test("the Language model view trains the names model: samples change, temperature and prefix work", async () => {
    const page = await open("#view=lm");
    assert.equal(await page.isVisible("#net-view"), false);
    await page.click("#lm-train");
    const step = () =>
      page.evaluate(() =>
        Number(/^Step (\d+)/.exec(document.querySelector("#lm-status")?.textContent ?? "")?.[1] ?? 0),
      );
    await page.waitForFunction(
      () => /^Step \d+ of 10000/.test(document.querySelector("#lm-status")?.textContent ?? ""),
      null,
      {
        timeout: 20_000,
      },
    );
    await page.waitForFunction(() => document.querySelectorAll("#lm-samples li").length === 8);
    const early = await page.locator("#lm-samples li").allTextContents();
    const first = await step();
    await page.waitForFunction(
      (s) =>
        Number(/^Step (\d+)/.exec(document.querySelector("#lm-status")?.textContent ?? "")?.[1]) > s + 1500,
      first,
      {
        timeout: 60_000,
      },
    );
    const later = await page.locator("#lm-samples li").allTextContents();
    assert.notDeepEqual(later, early);
    // The curve has points and the validation loss is below a uniform guess over 28 symbols (3.33).
    const val = Number(/validation (\d+\.\d+)/.exec(await text(page, "#lm-status"))?.[1]);
    assert.ok(val < 3.0, `validation ${val}`);
    // Stop keeps the weights: the temperature changes the samples, the prefix the probabilities.
    await page.click("#lm-stop");
    assert.match(await text(page, "#lm-status"), /· stopped$/);
    const warm = await page.locator("#lm-samples li").allTextContents();
    await page.fill("#lm-temp", "0.3");
    await page.dispatchEvent("#lm-temp", "input");
    await page.waitForFunction(() => document.querySelector("#lm-temp-value")?.textContent === "0.3");
    assert.notDeepEqual(await page.locator("#lm-samples li").allTextContents(), warm);
    await page.fill("#lm-prefix", "jo");
    await page.waitForFunction(() => document.querySelectorAll("#lm-next li").length === 10);
    const bars = await page.locator("#lm-next .bar-label").allTextContents();
    const shares = bars.map((b) => Number(/(\d+\.\d)%$/.exec(b)?.[1]));
    assert.ok(
      shares.every((v, i) => i === 0 || v <= shares[i - 1]),
      bars.join(", "),
    );
    assert.ok(shares.reduce((a, b) => a + b, 0) <= 100.5);
    await page.fill("#lm-prefix", "j7");
    await page.waitForFunction(
      () => document.querySelector("#lm-next li")?.textContent === '"7" never occurs in the names',
    );
    await page.close();
  });

  test("the Language model view's GPT trains on wasm and draws its attention per head for a prefix", async () => {
    const page = await open("#view=lm");
    await page.waitForSelector("#lm-arch");
    assert.equal(await page.isVisible("#lm-attention-box"), false);
    await page.selectOption("#lm-arch", "gpt");
    // kept in the URL like the page's other settings
    assert.match(await page.evaluate(() => location.hash), /[#&]lm=gpt(&|$)/);
    assert.equal(await page.isVisible("#lm-attention-box"), true);
    await page.click("#lm-train");
    const status = (): Promise<string> => text(page, "#lm-status");
    await page.waitForFunction(
      () => /^Step \d+ of 3000/.test(document.querySelector("#lm-status")?.textContent ?? ""),
      null,
      { timeout: 30_000 },
    );
    await page.waitForFunction(() => document.querySelectorAll("#lm-samples li").length === 8);
    const early = await page.locator("#lm-samples li").allTextContents();
    const firstStatus = await status();
    const first = Number(/^Step (\d+)/.exec(firstStatus)?.[1]);
    const firstLoss = Number(/batch loss (\d+\.\d+)/.exec(firstStatus)?.[1]);
    await page.waitForFunction(
      (s) =>
        Number(/^Step (\d+)/.exec(document.querySelector("#lm-status")?.textContent ?? "")?.[1]) > s + 400,
      first,
      { timeout: 90_000 },
    );
    const later = await status();
    assert.match(later, / steps\/s on wasm SIMD/);
    const laterLoss = Number(/batch loss (\d+\.\d+)/.exec(later)?.[1]);
    assert.ok(laterLoss < firstLoss - 0.3, `batch loss ${firstLoss} then ${laterLoss}`);
    assert.notDeepEqual(await page.locator("#lm-samples li").allTextContents(), early);
    await page.click("#lm-stop");
    await page.fill("#lm-prefix", "emm");
    // one heatmap per layer and head (2 × 2), each over the name's start and the three letters
    await page.waitForFunction(
      () => document.querySelectorAll("#lm-attention svg rect title").length === 4 * 10,
    );
    const titles = await page.locator("#lm-attention svg text").allTextContents();
    assert.deepEqual(
      titles.filter((t) => t.startsWith("layer")),
      ["layer 0, head 0", "layer 0, head 1", "layer 1, head 0", "layer 1, head 1"],
    );
    assert.ok(titles.includes("⏎"));
    await page.close();
  });

  test("no console errors or warnings on any page", () => {
    assert.deepEqual(problems, []);
  });
});
