// The script each Node worker thread of the wasm backend runs: it hands its first message to
// the core's `serveGemmWorker` (the core itself never imports node:worker_threads).
import { parentPort } from "node:worker_threads";
import { serveGemmWorker } from "../tensor/backends/wasm/worker-loop.ts";
import type { WorkerStart } from "../tensor/backends/wasm/worker-protocol.ts";

parentPort?.once("message", (start: WorkerStart) => {
  void serveGemmWorker(start);
});
