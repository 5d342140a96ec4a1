// The training worker: the page posts settings and points, the worker trains (see `Run`) and
// posts progress, so the page never freezes. It trains in slices of ~30 ms and yields between
// them to hear "pause". With the "wasm" engine it loads the tensor engine and the WebAssembly
// backend (a dynamic import, once) and falls back to the scalar engine where that fails; with
// "webgpu" the tensor engine on the GPU, falling back to wasm (engine-choice.ts). On the GPU a
// slice queues its updates and waits for one read at its end (`Run.advanceQueued`).

import { isQueued } from "./engine.ts";
import { engineChooser } from "./engine-choice.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { Run } from "./trainer.ts";

/** What this script can call on its global scope (typed here, as the project's lib is DOM). */
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

let run: Run | null = null;
let running = false;
let scheduled = false;
const engineFor = engineChooser(
  async () => {
    const { startWasm, tensorEngine } = await import("./tensor-engine.ts");
    return tensorEngine(await startWasm());
  },
  async () => {
    const { startWebGpu, gpuEngine } = await import("./gpu-engine.ts");
    return gpuEngine(await startWebGpu());
  },
);

function post(current: Run): void {
  const { message, transfer } = current.progress(running);
  scope.postMessage(message, transfer);
}

function fail(error: unknown): void {
  running = false;
  scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
}

function schedule(): void {
  if (!scheduled) setTimeout(slice, 0);
  scheduled = true;
}

function slice(): void {
  scheduled = false;
  const current = run;
  if (current === null || !running) return;
  if (isQueued(current.engine)) {
    enqueue(() => gpuSlice(current));
    return;
  }
  try {
    const start = performance.now();
    while (!current.done && performance.now() - start < 30) current.advance();
    if (current.done) running = false;
    post(current);
    if (running) schedule();
  } catch (error) {
    stopped(current, error);
  }
}

/**
 * A slice on the GPU: queued updates, then one read (`Run.advanceQueued`). It waits for that
 * read in its turn among the messages, so none of them changes the run meanwhile.
 */
async function gpuSlice(current: Run): Promise<void> {
  if (current !== run || !running) return; // paused or replaced while it waited its turn
  try {
    await current.advanceQueued(30);
    if (current.done) running = false;
    post(current);
    if (running) schedule();
  } catch (error) {
    stopped(current, error);
  }
}

/** Says where the run stopped (its last report), then why. */
function stopped(current: Run, error: unknown): void {
  running = false;
  try {
    post(current);
  } catch {}
  fail(error);
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "setup": {
      running = false;
      run = null;
      const [engine, note] = await engineFor(message.settings.engine);
      run = new Run(message, engine, note);
      post(run);
      break;
    }
    case "run":
      if (run !== null && !run.done && !running) {
        running = true;
        schedule();
      }
      break;
    case "pause":
      running = false;
      if (run !== null) post(run);
      break;
    case "step":
      running = false;
      if (run !== null && !run.done) {
        if (isQueued(run.engine)) await run.advanceQueued(0);
        else run.advance();
        post(run);
      }
      break;
    case "tune":
      run?.tune(message.change);
      if (run !== null && !running) post(run);
      break;
    case "set":
      if (run !== null) {
        run.setParameter(message.index, message.value);
        if (!running) post(run);
      }
      break;
  }
}

// Messages (and GPU slices) are handled one after another, in order, even while an engine loads.
let queue: Promise<void> = Promise.resolve();
function enqueue(task: () => Promise<void>): void {
  queue = queue.then(task).catch(fail);
}
scope.onmessage = (event) => enqueue(() => handle(event.data));
