// Heatmaps on canvas ImageData: the decision boundary (class probabilities) and what one hidden
// neuron outputs over the plane.
import { CLASS_RGB, NEGATIVE_RGB, POSITIVE_RGB } from "./colors.ts";
import { GRID } from "./protocol.ts";

/** An off-screen GRID x GRID canvas holding one heatmap, to be drawn scaled. */
export function gridCanvas(): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.width = GRID;
  c.height = GRID;
  return c;
}

/**
 * Paints class probabilities (`classes` per cell): the likelier class's colour, stronger when
 * surer; `discrete` paints only the likeliest class, at one strength.
 */
export function paintBoundary(
  target: HTMLCanvasElement,
  probs: Float32Array,
  classes: number,
  discrete = false,
): void {
  const ctx = target.getContext("2d");
  if (ctx === null) return;
  const image = ctx.createImageData(GRID, GRID);
  const px = image.data;
  for (let cell = 0; cell < GRID * GRID; cell++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let best = 0;
    let winner = 0;
    for (let k = 0; k < classes; k++) {
      const p = probs[cell * classes + k];
      const [cr, cg, cb] = CLASS_RGB[k % CLASS_RGB.length];
      r += p * cr;
      g += p * cg;
      b += p * cb;
      if (p > best) {
        best = p;
        winner = k;
      }
    }
    if (discrete) [r, g, b] = CLASS_RGB[winner % CLASS_RGB.length];
    const sure = discrete ? 0.6 : (0.75 * (best - 1 / classes)) / (1 - 1 / classes);
    px[cell * 4] = 255 + (r - 255) * sure;
    px[cell * 4 + 1] = 255 + (g - 255) * sure;
    px[cell * 4 + 2] = 255 + (b - 255) * sure;
    px[cell * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** The colour of `t` in [-1, 1]: blue for positive, orange for negative, white at 0. */
export function signedRgb(t: number): [number, number, number] {
  const [cr, cg, cb] = t >= 0 ? POSITIVE_RGB : NEGATIVE_RGB;
  const a = Math.min(1, Math.abs(t)) * 0.85;
  return [255 + (cr - 255) * a, 255 + (cg - 255) * a, 255 + (cb - 255) * a];
}

/**
 * Paints numbers (`values`, GRID*GRID from `offset`) on a fixed scale: `scale` is full blue,
 * `-scale` full orange (a regression's output, where the colour is the value).
 */
export function paintSigned(
  target: HTMLCanvasElement,
  values: Float32Array,
  offset: number,
  scale: number,
): void {
  const ctx = target.getContext("2d");
  if (ctx === null) return;
  const image = ctx.createImageData(GRID, GRID);
  const px = image.data;
  for (let i = 0; i < GRID * GRID; i++) {
    const [r, g, b] = signedRgb(values[offset + i] / scale);
    px[i * 4] = r;
    px[i * 4 + 1] = g;
    px[i * 4 + 2] = b;
    px[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** Paints one neuron's outputs (`values`, GRID*GRID from `offset`): blue high, orange low. */
export function paintNeuron(target: HTMLCanvasElement, values: Float32Array, offset: number): void {
  const ctx = target.getContext("2d");
  if (ctx === null) return;
  const cells = GRID * GRID;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < cells; i++) {
    const v = values[offset + i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // Signed outputs (tanh, linear) centre on 0; one-signed ones (relu, sigmoid) use their range.
  const signed = lo < 0 && hi > 0;
  const scale = signed ? Math.max(-lo, hi) : hi - lo || 1;
  const image = ctx.createImageData(GRID, GRID);
  const px = image.data;
  for (let i = 0; i < cells; i++) {
    const t = signed ? values[offset + i] / scale : (2 * (values[offset + i] - lo)) / scale - 1;
    const [cr, cg, cb] = t >= 0 ? POSITIVE_RGB : NEGATIVE_RGB;
    const a = Math.min(1, Math.abs(t)) * 0.85;
    px[i * 4] = 255 + (cr - 255) * a;
    px[i * 4 + 1] = 255 + (cg - 255) * a;
    px[i * 4 + 2] = 255 + (cb - 255) * a;
    px[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** Paints how likely class `k` is at each cell: white for 0, the class's colour for 1. */
export function paintClass(target: HTMLCanvasElement, probs: Float32Array, classes: number, k: number): void {
  const ctx = target.getContext("2d");
  if (ctx === null) return;
  const image = ctx.createImageData(GRID, GRID);
  const px = image.data;
  const [cr, cg, cb] = CLASS_RGB[k % CLASS_RGB.length];
  for (let cell = 0; cell < GRID * GRID; cell++) {
    const p = probs[cell * classes + k];
    px[cell * 4] = 255 + (cr - 255) * p;
    px[cell * 4 + 1] = 255 + (cg - 255) * p;
    px[cell * 4 + 2] = 255 + (cb - 255) * p;
    px[cell * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}
