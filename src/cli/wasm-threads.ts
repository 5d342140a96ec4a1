import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import { hasRelaxedSimd } from "../tensor/backends/wasm/module.ts";
import type { WorkerFactory } from "../tensor/backends/wasm/worker-protocol.ts";

/**
 * Starts the wasm backend's workers as Node worker threads (Node has no global `Worker`):
 * pass it as `init("wasm", { threads, workerFactory: nodeWorkerFactory() })`. The threads are
 * unref'd, so they never keep the process alive.
 */
export function nodeWorkerFactory(): WorkerFactory {
  if (import.meta.url.endsWith(".ts")) {
    // Running from src/ under tsx (the tests): Node 20 does not pass tsx's loader hooks on to
    // worker threads, so the worker registers tsx itself before loading the TypeScript script.
    const url = new URL("./wasm-worker.ts", import.meta.url).href;
    const code = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    return () => unref(new Worker(code, { eval: true }));
  }
  const url = new URL("./wasm-worker.js", import.meta.url);
  return () => unref(new Worker(url));
}

/**
 * Turns on relaxed SIMD (fused multiply-add) in Node 20's V8, where it is complete but behind
 * `--experimental-wasm-relaxed-simd` (on by default from Node 22 and in current browsers).
 * Must run before the backend is created; returns whether the engine now has it.
 */
export function enableRelaxedSimd(): boolean {
  if (!hasRelaxedSimd()) setFlagsFromString("--experimental-wasm-relaxed-simd");
  return hasRelaxedSimd();
}

function unref(worker: Worker): Worker {
  worker.unref();
  return worker;
}
