import { JOB_WORDS, READY, runOnePart, STOP, TICKET, type WorkerStart } from "./worker-protocol.ts";

type Gemm = (...args: number[]) => void;

/**
 * The body of a gemm worker (browser Worker or Node worker thread): instantiates the module on
 * the shared memory, then takes parts of published products until told to stop. Between jobs
 * it polls briefly, then sleeps in `Atomics.wait` until the job word changes.
 */
export async function serveGemmWorker(start: WorkerStart): Promise<void> {
  const instance = await WebAssembly.instantiate(start.module, { env: { memory: start.memory } });
  const gemm = instance.exports.gemm as Gemm;
  // The job block sits at address 0, so a view made now stays valid as the memory grows.
  const words = new Int32Array(start.memory.buffer, 0, JOB_WORDS);
  Atomics.add(words, READY, 1);
  Atomics.notify(words, READY);
  for (;;) {
    if (Atomics.load(words, STOP) !== 0) return;
    if (runOnePart(words, gemm, start.scratch)) continue;
    const ticket = Atomics.load(words, TICKET);
    let i = 0;
    while (i < start.spin && Atomics.load(words, TICKET) === ticket) i++;
    if (i === start.spin) Atomics.wait(words, TICKET, ticket);
  }
}
