// How the main thread and the gemm workers talk: through one slot of 32 i32 words per worker
// in the shared memory (no messages after start-up, so handing out a job costs a store and a
// notify, not a postMessage). The main thread writes the job's arguments, then bumps SEQ;
// the worker runs `gemm` and copies SEQ into DONE.

/** Bytes per worker slot. */
export const SLOT_BYTES = 128;
/** Word offsets in a slot. */
export const SEQ = 0;
export const DONE = 1;
export const READY = 2;
export const COMMAND = 3;
/** The 13 `gemm` arguments start at this word. */
export const ARGS = 4;
/** COMMAND values. */
export const RUN_GEMM = 1;
export const STOP = 2;

/** The one message a worker gets when it starts. */
export interface WorkerStart {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Byte address of this worker's slot. */
  readonly slot: number;
  /** How many times to poll for a job before sleeping in `Atomics.wait`. */
  readonly spin: number;
}

/** Something that runs a worker script: a browser `Worker` or Node's `worker_threads.Worker`. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** Makes one worker that passes its first message to `serveGemmWorker`. */
export type WorkerFactory = () => WorkerLike;
