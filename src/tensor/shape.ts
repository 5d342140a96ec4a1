/** A tensor's dimensions, outermost first (`[]` is a scalar). */
export type Shape = readonly number[];

/** `[2,3]` as text, for error messages. */
export function shapeText(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

/** How many numbers a tensor of this shape holds. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides: how far one step along each axis moves in the flat data. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Checks that every dimension is a non-negative integer. */
export function checkShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: dimensions must be integers >= 0, got ${shapeText(shape)}`);
    }
  }
}

/** True when both shapes have the same dimensions. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The shape two operands broadcast to (NumPy rules: align from the right; each pair of
 * dimensions must be equal or one of them 1).
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes do not broadcast: ${shapeText(a)} and ${shapeText(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading an operand of shape `shape` as if it had the broadcast shape `out`:
 * 0 along every axis where the operand is stretched.
 */
export function broadcastStrides(shape: Shape, out: Shape): number[] {
  const own = stridesOf(shape);
  const strides = new Array<number>(out.length).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const j = out.length - shape.length + i;
    strides[j] = shape[i] === 1 ? 0 : own[i];
  }
  return strides;
}

/** One axis, negative counting from the end, checked against `ndim`. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= ndim) {
    throw new RangeError(`${op}: axis ${axis} is out of range for ${ndim} dimensions`);
  }
  return a;
}

/** Axes (one, several, or all when omitted), normalised, sorted and without repeats. */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, ndim)))].sort((x, y) => x - y);
  if (out.length !== list.length) throw new RangeError(`${op}: repeated axis in [${list.join(",")}]`);
  return out;
}
