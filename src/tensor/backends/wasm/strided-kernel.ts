// The strided copies (a transpose, a slice, a head split) as runs: the js backend lists where
// each run of the last axis starts (runStarts in ../js.ts), and these loops copy or add the
// runs. They are memory-bound, but a JavaScript loop over float32 arrays costs several
// nanoseconds a number where these cost a fraction of one, even with the copies in and out.
// Each number is added in the js loop's order, so the two give the same bits.

import { Code, I32, type ModuleBuilder, OP, SIMD } from "./emitter.ts";

/** Which of the two loops: `dst[r·n + j] = src[s_r + j·step]`, or `dst[s_r + j·step] += src[r·n + j]`. */
type Direction = "gather" | "scatterAdd";

/**
 * `(src, starts, runs, n, step, dst)`, byte addresses; `starts` holds `runs` i32 element
 * indices into the strided side (`src` when gathering, `dst` when adding back).
 */
function runsKernel(direction: Direction): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32], []);
  const [src, starts, runs, n, step, dst] = [0, 1, 2, 3, 4, 5];
  const r = c.local(I32);
  const j = c.local(I32);
  const strided = c.local(I32); // byte address on the strided side
  const dense = c.local(I32); // byte address on the contiguous side
  const stepBytes = c.local(I32);
  c.get(step).i32(2).op(OP.i32_shl).set(stepBytes);
  c.get(direction === "gather" ? dst : src).set(dense);
  c.for(
    r,
    () => c.i32(0),
    () => c.get(runs),
    1,
    () => {
      // strided = base + starts[r]·4
      c.get(direction === "gather" ? src : dst);
      c.get(starts).get(r).i32(2).op(OP.i32_shl).op(OP.i32_add).mem(OP.i32_load, 2, 0);
      c.i32(2).op(OP.i32_shl).op(OP.i32_add).set(strided);
      // contiguous runs of whole vectors move four numbers at a time, others one
      c.get(step).i32(1).op(OP.i32_eq).get(n).i32(3).op(OP.i32_and).op(OP.i32_eqz).op(OP.i32_and);
      c.if(
        () => move(c, direction, { j, n, dense, strided, stepBytes: null }),
        () => move(c, direction, { j, n, dense, strided, stepBytes }),
      );
    },
  );
  return c;
}

/** The locals one run's loop uses; `stepBytes` null for the vector loop (contiguous runs). */
interface RunLocals {
  readonly j: number;
  readonly n: number;
  readonly dense: number;
  readonly strided: number;
  readonly stepBytes: number | null;
}

/** Copies (or adds back) one run: `n` numbers, four at a time when `stepBytes` is null. */
function move(c: Code, direction: Direction, l: RunLocals): void {
  const vector = l.stepBytes === null;
  const [load, store, add, bytes] = vector
    ? [SIMD.v128_load, SIMD.v128_store, SIMD.f32x4_add, 16]
    : [OP.f32_load, OP.f32_store, OP.f32_add, 4];
  const mem = (opcode: number): void => {
    if (vector) c.simdMem(opcode, 0, 0);
    else c.mem(opcode, 2, 0);
  };
  c.for(
    l.j,
    () => c.i32(0),
    () => c.get(l.n),
    bytes / 4,
    () => {
      if (direction === "gather") {
        c.get(l.dense).get(l.strided);
        mem(load);
        mem(store);
      } else {
        c.get(l.strided).get(l.strided);
        mem(load);
        c.get(l.dense);
        mem(load);
        if (vector) c.simd(add);
        else c.op(add);
        mem(store);
      }
      c.get(l.dense).i32(bytes).op(OP.i32_add).set(l.dense);
      c.get(l.strided);
      if (l.stepBytes === null) c.i32(16);
      else c.get(l.stepBytes);
      c.op(OP.i32_add).set(l.strided);
    },
  );
}

/** Adds `gatherRuns` and `scatterAddRuns` `(src, starts, runs, n, step, dst)` to the module. */
export function addStridedRuns(mb: ModuleBuilder): void {
  mb.add(runsKernel("gather"), "gatherRuns");
  mb.add(runsKernel("scatterAdd"), "scatterAddRuns");
}
