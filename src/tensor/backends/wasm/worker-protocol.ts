// How the calling thread and the gemm workers share a matrix product: through one job block
// in the shared memory (no message per job). The caller writes the product's arguments and
// how C is cut into parts, then publishes the job in one word, TICKET = seq·64 + next part.
// Every thread (the caller too) claims parts by compare-and-swap on TICKET, runs them on its
// own scratch, and counts them in DONE; the caller returns once DONE equals the number of
// parts. A worker that wakes late finds nothing left and goes back to sleep, so a busy machine
// can delay a product by at most the part a worker has claimed, never by a worker's wake-up.

/** Word offsets in the job block (at byte 0 of the memory): seq·64 + next part to claim. */
export const TICKET = 0;
/** Parts finished. */
export const DONE = 1;
/** Set to 1 to make the workers return. */
export const STOP = 2;
/** Workers started. */
export const READY = 3;
/** Number of parts of the job. */
export const PARTS = 4;
/** 1 when C is cut into column blocks, 0 for row blocks. */
export const BY_COLS = 5;
/** Columns (or rows) per part. */
export const CHUNK = 6;
/** The 12 `gemm` arguments before the scratch pointer. */
export const ARGS = 8;
/** Words of the job block. */
export const JOB_WORDS = 32;
/** TICKET's low 6 bits hold the next part, so a job has fewer parts than this. */
export const MAX_PARTS = 64;
/** TICKET's low bits while the caller writes the next job: nothing to claim. */
export const CLOSED = MAX_PARTS - 1;

/** The one message a worker gets when it starts. */
export interface WorkerStart {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** This worker's number (1, 2, ...; the caller is 0), which picks its scratch. */
  readonly index: number;
  /** Byte address of this worker's gemm scratch. */
  readonly scratch: number;
  /** How many times to poll for a job before sleeping in `Atomics.wait`. */
  readonly spin: number;
}

/**
 * Something that runs a worker script: a browser `Worker` or Node's `worker_threads.Worker`.
 *
 * @example
 * const worker: WorkerLike = new Worker(workerUrl, { type: "module" });
 */
export interface WorkerLike {
  /** Sends a message to the worker. */
  postMessage(message: unknown): void;
  /** Stops the worker. */
  terminate(): unknown;
}

/**
 * Makes one worker that passes its first message to `serveGemmWorker`.
 *
 * @example
 * const workerFactory: WorkerFactory = () => new Worker(workerUrl, { type: "module" });
 * await init("wasm", { threads: 4, workerFactory });
 */
export type WorkerFactory = () => WorkerLike;

type Gemm = (...args: number[]) => void;

/**
 * Claims one part of the published job and runs it on `scratch`; false when there is none
 * left (or the job changed under us). Used by the caller and by the workers alike.
 */
export function runOnePart(words: Int32Array, gemm: Gemm, scratch: number): boolean {
  const ticket = Atomics.load(words, TICKET);
  const part = ticket & (MAX_PARTS - 1);
  if (part === CLOSED) return false;
  // Read the job before claiming: a successful claim proves it was still this job (the
  // caller closes the ticket before it writes the next job's arguments).
  const parts = words[PARTS];
  if (part >= parts) return false;
  const byCols = words[BY_COLS] === 1;
  const chunk = words[CHUNK];
  const [m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, acc] = words.subarray(ARGS, ARGS + 12);
  if (Atomics.compareExchange(words, TICKET, ticket, ticket + 1) !== ticket) return true;
  const at = part * chunk;
  if (byCols) {
    gemm(
      m,
      Math.min(chunk, n - at),
      k,
      a,
      rsA,
      csA,
      b + at * csB * 4,
      rsB,
      csB,
      c + at * 4,
      ldc,
      acc,
      scratch,
    );
  } else {
    gemm(
      Math.min(chunk, m - at),
      n,
      k,
      a + at * rsA * 4,
      rsA,
      csA,
      b,
      rsB,
      csB,
      c + at * ldc * 4,
      ldc,
      acc,
      scratch,
    );
  }
  Atomics.add(words, DONE, 1);
  Atomics.notify(words, DONE);
  return true;
}
