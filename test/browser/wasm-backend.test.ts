// The wasm backend in a real browser (Debian's chromium through playwright-core): the built
// library served with cross-origin isolation, `init("wasm", { threads: 2 })` with the default
// worker factory (the global Worker and browser-worker.js), and products checked against the
// js backend in the page. Skipped where chromium is not installed.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { test } from "node:test";
import { launchChromium } from "../helpers/chromium.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html" };

const PAGE = `<!doctype html><script type="module">
import { init, jsBackend } from "/dist/index.js";
const results = {};
try {
  const b = await init("wasm", { threads: 2, minMatmul: 0, parallelMin: 0 });
  results.isolated = crossOriginIsolated;
  results.threads = b.threads;
  let worst = 0;
  for (const [m, k, n] of [[3, 5, 7], [130, 200, 70], [64, 300, 257]]) {
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const w = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const x = new Float32Array(m * n), y = new Float32Array(m * n);
    b.matmul(a, 0, w, 0, x, 0, m, k, n, false, false, false);
    jsBackend.matmul(a, 0, w, 0, y, 0, m, k, n, false, false, false);
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
  }
  results.worst = worst;
  const e = new Float32Array(1000), f = new Float32Array(1000), v = Float32Array.from({ length: 1000 }, (_, i) => i / 50 - 10);
  b.unary("exp", v, e, 0);
  jsBackend.unary("exp", v, f, 0);
  results.expWorst = Math.max(...e.map((z, i) => Math.abs(z - f[i]) / Math.max(1e-30, f[i])));
} catch (error) {
  results.error = String(error);
}
window.results = results;
</script>`;

test("the wasm backend runs in chromium, with two threads under cross-origin isolation", async () => {
  const server = createServer((req, res) => {
    const headers = {
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
    };
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0]));
    if (path === "/" || path === "/index.html") {
      res.writeHead(200, { ...headers, "Content-Type": "text/html" });
      res.end(PAGE);
      return;
    }
    const file = join(ROOT, path);
    if (!path.startsWith("/dist/") || !existsSync(file)) {
      res.writeHead(404, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(
      () => (window as unknown as { results?: unknown }).results !== undefined,
      null,
      {
        timeout: 60000,
      },
    );
    const results = (await page.evaluate(() => (window as unknown as { results: unknown }).results)) as {
      error?: string;
      isolated: boolean;
      threads: number;
      worst: number;
      expWorst: number;
    };
    assert.equal(results.error, undefined);
    assert.equal(results.isolated, true);
    assert.equal(results.threads, 2);
    assert.ok(results.worst < 1e-5, `matmul differs from js by ${results.worst}`);
    assert.ok(results.expWorst < 1e-6, `exp differs from js by ${results.expWorst}`);
  } finally {
    await browser.close();
    server.close();
  }
});
