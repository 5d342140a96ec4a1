/**
 * Where scalar values live. Allocation, not arithmetic, is what makes a scalar autograd engine
 * slow, so values are not objects with arrays of children: each is one slot in typed arrays
 * (data, grad, op code, input slots), and a `Value` is a small handle naming its slot.
 *
 * Slots are appended in creation order, which is already a topological order (inputs always
 * exist before the node that uses them), so backward needs no sort: one reversed sweep.
 *
 * Slots are grouped in chunks. After a backward pass over the newest chunk, the next value
 * starts a fresh chunk; an old chunk is freed by the garbage collector once no handle and no
 * newer chunk refers to it. So a training loop uses flat memory, while every `Value` a user
 * still holds keeps its data and grad.
 *
 * A node's inputs are slots of its own chunk, so the backward sweep never looks outside it. A
 * value from an older chunk (a model's parameter, in a training loop) enters a newer chunk once,
 * as an import slot: its uses there sum their gradients into the import, and the import passes
 * the sum on to the value after the chunk's sweep.
 */

import { IMPORT } from "./ops.ts";

let chunkCount = 0;

/** A run of slots. Ids are global (base + local index), for graph walks and compiled graphs. */
export class Chunk {
  size = 0;
  data: Float64Array;
  grad: Float64Array;
  op: Uint8Array;
  /** Slot of the first input. */
  a: Int32Array;
  /** Slot of the second input; for `pow`, the slot of a leaf holding the constant exponent. */
  b: Int32Array;
  /** Backward-pass stamp: slot is on the current pass's graph when equal to the pass number. */
  seen: Uint32Array;
  /** Labels given by the user, by local index (sparse). */
  readonly labels = new Map<number, string>();
  /** Older chunks that this one imports values from (kept alive by this reference), each once. */
  readonly deps: Chunk[] = [];
  /** Slots of this chunk's imports, in the order they were made. */
  readonly imports: number[] = [];
  /** For each import (same order): the chunk of the value it stands for... */
  readonly importChunks: Chunk[] = [];
  /** ...and the value's slot there. */
  readonly importSources: number[] = [];
  /** Import slot → its index in `imports`. */
  readonly #importIndex = new Map<number, number>();
  /** Set once a backward pass has run from this chunk: new values then go to a new chunk. */
  sealed = false;
  /**
   * During a backward pass, the highest and lowest slots of computed values the pass reached
   * here: the pass sweeps only that range, not the whole chunk (an old chunk holding a model's
   * parameters may also hold millions of values no later graph uses).
   */
  hi = -1;
  lo = 0;

  /** Global id of slot 0. */
  readonly base: number;
  /** Tells chunks apart in `importedBy`. */
  readonly serial = ++chunkCount;
  /** Per slot: serial of the newest chunk that imported it, and the import's slot there. */
  #importedBy: Uint32Array | null = null;
  #importedAt: Int32Array | null = null;

  constructor(base: number, capacity: number) {
    this.base = base;
    this.data = new Float64Array(capacity);
    this.grad = new Float64Array(capacity);
    this.op = new Uint8Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.seen = new Uint32Array(capacity);
  }

  /** Appends a slot holding `x` (a leaf until its op is set); returns its index. */
  push(x: number): number {
    if (this.size === this.data.length) this.grow();
    const i = this.size++;
    this.data[i] = x;
    return i;
  }

  /** Doubles the arrays; handles keep working because they point at the chunk, not the arrays. */
  grow(): void {
    const n = this.data.length * 2;
    const bigger = <T extends Float64Array | Int32Array | Uint8Array | Uint32Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(n);
      next.set(old);
      return next;
    };
    this.data = bigger(this.data);
    this.grad = bigger(this.grad);
    this.op = bigger(this.op);
    this.a = bigger(this.a);
    this.b = bigger(this.b);
    this.seen = bigger(this.seen);
  }

  /** The slot here standing for `slot` of the older chunk `from`, made on first use. */
  importSlot(from: Chunk, slot: number): number {
    let by = from.#importedBy;
    let at = from.#importedAt;
    if (by === null || at === null) {
      // An older chunk never grows again, so its size is final.
      by = from.#importedBy = new Uint32Array(from.size);
      at = from.#importedAt = new Int32Array(from.size);
    }
    if (by[slot] === this.serial) return at[slot];
    const i = this.push(from.data[slot]);
    this.op[i] = IMPORT;
    this.#importIndex.set(i, this.imports.length);
    this.imports.push(i);
    this.importChunks.push(from);
    this.importSources.push(slot);
    const deps = this.deps;
    if (deps[deps.length - 1] !== from && !deps.includes(from)) deps.push(from);
    by[slot] = this.serial;
    at[slot] = i;
    return i;
  }

  /** The chunk and slot of input slot `i`: itself, or the value an import stands for. */
  source(i: number): [Chunk, number] {
    if (this.op[i] !== IMPORT) return [this, i];
    const k = this.#importIndex.get(i) as number;
    return [this.importChunks[k], this.importSources[k]];
  }
}

const FIRST_CAPACITY = 1024;
// A chunk that no backward pass seals (forward-only loops) is closed at this size, so that
// evaluation loops do not grow one chunk forever.
const MAX_CHUNK = 1 << 22;

let current = new Chunk(0, FIRST_CAPACITY);

/** The chunk new values go into, opening a new one when the last was sealed or is full. */
export function currentChunk(): Chunk {
  const c = current;
  if (c.sealed || c.size >= MAX_CHUNK) {
    // Size the new chunk like the last one: the next training step is usually the same graph.
    current = new Chunk(c.base + c.size, Math.max(FIRST_CAPACITY, c.size));
  }
  return current;
}

/** The chunk new values go into, with room for `n` more slots before it would be closed. */
export function chunkWithRoom(n: number): Chunk {
  const c = currentChunk();
  if (c.size + n < MAX_CHUNK) return c;
  c.sealed = true;
  return currentChunk();
}

/**
 * Closes the chunk being filled: values made from now on go into a new one. For code that builds
 * values it will never run backward on (recording a graph to compile it), so that those values
 * neither share a chunk with, nor live as long as, the values around them.
 */
export function closeChunk(): void {
  current.sealed = true;
}

/**
 * Runs `fn` with the values it makes in chunks of their own: none shares a chunk with a value
 * made before or after, so they are freed as soon as nothing refers to them, however long the
 * values around them live. The public face of this is `tidy` (and `noGrad`, which uses it).
 */
export function apart<T>(fn: () => T): T {
  if (current.size > 0) current.sealed = true;
  try {
    return fn();
  } finally {
    current.sealed = true;
  }
}

/** `root` and every chunk it depends on, newest first (iterative: no recursion). */
export function chunksFrom(root: Chunk): Chunk[] {
  const found = new Set<Chunk>([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const dep of (stack.pop() as Chunk).deps) {
      if (!found.has(dep)) {
        found.add(dep);
        stack.push(dep);
      }
    }
  }
  return [...found].sort((x, y) => y.base - x.base);
}
