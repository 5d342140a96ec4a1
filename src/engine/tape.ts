/**
 * Where scalar values live. Allocation, not arithmetic, is what makes a scalar autograd engine
 * slow, so values are not objects with arrays of children: each is one slot in typed arrays
 * (data, grad, op code, input ids), and a `Value` is a small handle naming its slot.
 *
 * Slots are appended in creation order, which is already a topological order (inputs always
 * exist before the node that uses them), so backward needs no sort: one reversed sweep.
 *
 * Slots are grouped in chunks. After a backward pass over the newest chunk, the next value
 * starts a fresh chunk; an old chunk is freed by the garbage collector once no handle and no
 * newer chunk refers to it. So a training loop uses flat memory, while every `Value` a user
 * still holds keeps its data and grad.
 */

/** A run of slots. Ids are global (base + local index) so that nodes can point across chunks. */
export class Chunk {
  size = 0;
  data: Float64Array;
  grad: Float64Array;
  op: Uint8Array;
  /** Global id of the first input (or -1). */
  a: Float64Array;
  /** Global id of the second input, or pow's constant exponent. */
  b: Float64Array;
  /** Backward-pass stamp: slot is on the current pass's graph when equal to the pass number. */
  seen: Uint32Array;
  /** Labels given by the user, by local index (sparse). */
  readonly labels = new Map<number, string>();
  /** Older chunks that nodes of this one use as inputs (kept alive by this reference). */
  readonly deps: Chunk[] = [];
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

  constructor(base: number, capacity: number) {
    this.base = base;
    this.data = new Float64Array(capacity);
    this.grad = new Float64Array(capacity);
    this.op = new Uint8Array(capacity);
    this.a = new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.seen = new Uint32Array(capacity);
  }

  /** Doubles the arrays; handles keep working because they point at the chunk, not the arrays. */
  grow(): void {
    const n = this.data.length * 2;
    const bigger = <T extends Float64Array | Uint8Array | Uint32Array>(old: T): T => {
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

  /** Records that this chunk uses a node of `other` as an input. */
  use(other: Chunk): void {
    const deps = this.deps;
    if (other === this || deps[deps.length - 1] === other || deps.includes(other)) return;
    deps.push(other);
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

/**
 * Closes the chunk being filled: values made from now on go into a new one. For code that builds
 * values it will never run backward on (recording a graph to compile it), so that those values
 * neither share a chunk with, nor live as long as, the values around them.
 */
export function closeChunk(): void {
  current.sealed = true;
}

/** The chunk holding global id `id`, searching the chunks after position `from` (newest first). */
export function findChunk(chunks: readonly Chunk[], from: number, id: number): Chunk {
  for (let k = from + 1; k < chunks.length; k++) if (id >= chunks[k].base) return chunks[k];
  throw new Error(`engine: node ${id} is in no reachable chunk (engine bug)`);
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
