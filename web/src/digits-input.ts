// A drawn digit made to look like an MNIST one, free of the DOM: MNIST's digits were scaled so
// that their box fits 20×20 pixels (keeping the aspect ratio) and then moved so that their centre
// of mass is the centre of the 28×28 image. A network trained on them sees a digit drawn anywhere
// on the pad, at any size, the way it saw its training digits.

const SIDE = 28;
const BOX = 20;

/**
 * The 28×28 digit (intensities in [0, 1], row-major) of `ink`, a `width × height` array of ink
 * amounts in [0, 1] (e.g. the alpha of the drawing pad); all zeros when nothing is drawn.
 */
export function digitFromInk(ink: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(SIDE * SIDE);
  let [left, top, right, bottom] = [width, height, -1, -1];
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x];
      if (v <= 0) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  if (mass === 0) return out;
  // (Never enlarged: a mark under 20 pad pixels, a dot, stays a dot; a pad pixel then covers at
  // most one image pixel, which `spans` relies on.)
  const scale = Math.min(1, BOX / Math.max(right - left + 1, bottom - top + 1));
  // Where a point of the pad lands: its centre of mass at the image's centre.
  const ox = SIDE / 2 - (mx / mass) * scale;
  const oy = SIDE / 2 - (my / mass) * scale;
  // Each pad pixel covers a square of side `scale` (< 1) of the image: its ink goes to the image
  // pixels that square overlaps, in proportion to the overlap (a box filter).
  for (let y = top; y <= bottom; y++) {
    const [ty, wy] = spans(y * scale + oy, scale);
    for (let x = left; x <= right; x++) {
      const v = ink[y * width + x];
      if (v <= 0) continue;
      const [tx, wx] = spans(x * scale + ox, scale);
      for (let j = 0; j < 2; j++)
        for (let i = 0; i < 2; i++) {
          const [r, c] = [ty + j, tx + i];
          if (r >= 0 && r < SIDE && c >= 0 && c < SIDE) out[r * SIDE + c] += v * wy[j] * wx[i];
        }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, out[i]);
  return out;
}

/** The first image pixel that `[from, from + size)` overlaps (size ≤ 1), and its overlap with that pixel and the next. */
function spans(from: number, size: number): [number, [number, number]] {
  const first = Math.floor(from);
  const inFirst = Math.min(size, first + 1 - from);
  return [first, [inFirst, size - inFirst]];
}
