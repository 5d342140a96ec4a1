// The two loops of a dense layer over typed arrays, shared by both layers of the MLP language
// model. Blocked (two rows and four inputs at a time going forward, four rows going back) so a
// weight or an accumulator loaded once serves several multiply-adds: about twice as fast in V8
// as the plain triple loop (bench/lm.mjs), with the same arithmetic.

/**
 * `out[r, :] = b + input[r, :] · W` for `rows` rows, where W (`inDim × outDim`, row-major)
 * starts at `p[oW]` and b at `p[ob]`.
 */
export function denseForward(
  input: Float64Array,
  rows: number,
  inDim: number,
  outDim: number,
  p: Float64Array,
  oW: number,
  ob: number,
  out: Float64Array,
): void {
  let r = 0;
  // Two rows at a time: each weight loaded once feeds both rows.
  for (; r + 2 <= rows; r += 2) {
    const o0 = r * outDim;
    const o1 = o0 + outDim;
    const i0 = r * inDim;
    const i1 = i0 + inDim;
    for (let j = 0; j < outDim; j++) out[o0 + j] = out[o1 + j] = p[ob + j];
    let d = 0;
    for (; d + 4 <= inDim; d += 4) {
      const a0 = input[i0 + d];
      const a1 = input[i0 + d + 1];
      const a2 = input[i0 + d + 2];
      const a3 = input[i0 + d + 3];
      const c0 = input[i1 + d];
      const c1 = input[i1 + d + 1];
      const c2 = input[i1 + d + 2];
      const c3 = input[i1 + d + 3];
      const w0 = oW + d * outDim;
      const w1 = w0 + outDim;
      const w2 = w1 + outDim;
      const w3 = w2 + outDim;
      for (let j = 0; j < outDim; j++) {
        const x0 = p[w0 + j];
        const x1 = p[w1 + j];
        const x2 = p[w2 + j];
        const x3 = p[w3 + j];
        out[o0 + j] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        out[o1 + j] += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
      }
    }
    for (; d < inDim; d++) {
      const a = input[i0 + d];
      const c = input[i1 + d];
      const w = oW + d * outDim;
      for (let j = 0; j < outDim; j++) {
        const x = p[w + j];
        out[o0 + j] += a * x;
        out[o1 + j] += c * x;
      }
    }
  }
  for (; r < rows; r++) {
    const o = r * outDim;
    const i0 = r * inDim;
    for (let j = 0; j < outDim; j++) out[o + j] = p[ob + j];
    for (let d = 0; d < inDim; d++) {
      const a = input[i0 + d];
      const w = oW + d * outDim;
      for (let j = 0; j < outDim; j++) out[o + j] += a * p[w + j];
    }
  }
}

/**
 * The backward pass of `denseForward`: adds `inputᵀ · dout` to the weight gradient at `g[oW]`
 * and the column sums of `dout` to the bias gradient at `g[ob]`, and writes
 * `din = dout · Wᵀ` (when given). `rows` must be a multiple of 4; rows past the real batch
 * must have zero `dout` (they then add nothing).
 */
export function denseBackward(
  input: Float64Array,
  dout: Float64Array,
  rows: number,
  inDim: number,
  outDim: number,
  p: Float64Array,
  oW: number,
  ob: number,
  g: Float64Array,
  din: Float64Array | null,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * outDim;
    for (let j = 0; j < outDim; j++) g[ob + j] += dout[o + j];
  }
  for (let r = 0; r < rows; r += 4) {
    const o0 = r * outDim;
    const o1 = o0 + outDim;
    const o2 = o1 + outDim;
    const o3 = o2 + outDim;
    const i0 = r * inDim;
    for (let d = 0; d < inDim; d++) {
      const a0 = input[i0 + d];
      const a1 = input[i0 + inDim + d];
      const a2 = input[i0 + 2 * inDim + d];
      const a3 = input[i0 + 3 * inDim + d];
      const w = oW + d * outDim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < outDim; j++) {
        const q0 = dout[o0 + j];
        const q1 = dout[o1 + j];
        const q2 = dout[o2 + j];
        const q3 = dout[o3 + j];
        g[w + j] += a0 * q0 + a1 * q1 + a2 * q2 + a3 * q3;
        const wj = p[w + j];
        s0 += q0 * wj;
        s1 += q1 * wj;
        s2 += q2 * wj;
        s3 += q3 * wj;
      }
      if (din !== null) {
        din[i0 + d] = s0;
        din[i0 + inDim + d] = s1;
        din[i0 + 2 * inDim + d] = s2;
        din[i0 + 3 * inDim + d] = s3;
      }
    }
  }
}
