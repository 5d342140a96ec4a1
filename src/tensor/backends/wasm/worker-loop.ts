import { ARGS, COMMAND, DONE, READY, RUN_GEMM, SEQ, STOP, type WorkerStart } from "./worker-protocol.ts";

type Gemm = (...args: number[]) => void;

/**
 * The body of a gemm worker (browser Worker or Node worker thread): instantiates the module on
 * the shared memory, then runs jobs from its slot until told to stop. Blocks its thread in
 * `Atomics.wait` between jobs, after polling briefly (a job usually follows soon).
 */
export async function serveGemmWorker(start: WorkerStart): Promise<void> {
  const instance = await WebAssembly.instantiate(start.module, { env: { memory: start.memory } });
  const gemm = instance.exports.gemm as Gemm;
  // The slots sit below the first page, so a view made now stays valid as the memory grows.
  const words = new Int32Array(start.memory.buffer, start.slot, 32);
  Atomics.store(words, READY, 1);
  Atomics.notify(words, READY);
  let seen = Atomics.load(words, SEQ);
  for (;;) {
    let seq = Atomics.load(words, SEQ);
    for (let i = 0; seq === seen && i < start.spin; i++) seq = Atomics.load(words, SEQ);
    if (seq === seen) {
      Atomics.wait(words, SEQ, seen);
      continue;
    }
    seen = seq;
    const command = words[COMMAND];
    if (command === STOP) return;
    if (command === RUN_GEMM) {
      const a = ARGS;
      gemm(
        words[a],
        words[a + 1],
        words[a + 2],
        words[a + 3],
        words[a + 4],
        words[a + 5],
        words[a + 6],
        words[a + 7],
        words[a + 8],
        words[a + 9],
        words[a + 10],
        words[a + 11],
        words[a + 12],
      );
    }
    Atomics.store(words, DONE, seq);
    Atomics.notify(words, DONE);
  }
}
