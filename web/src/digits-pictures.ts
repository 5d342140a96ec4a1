// The Digits view's pictures of numbers: what the network sees (the 28×28 input) and each hidden
// layer's output, as grey-to-blue cells on canvas (white 0, dark blue the layer's largest value).
import type { DigitReading } from "./digits-setup.ts";

/** Fills `canvas` with `rows × cols` cells of `values` (row-major), scaled by `top`. */
function cells(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  top: number,
): void {
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const t = top > 0 ? Math.max(0, Math.min(1, values[i] / top)) : 0;
    image.data[4 * i] = Math.round(255 - t * (255 - 8));
    image.data[4 * i + 1] = Math.round(255 - t * (255 - 48));
    image.data[4 * i + 2] = Math.round(255 - t * (255 - 107));
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** Draws the 28×28 digit the network reads. */
export function drawInput(canvas: HTMLCanvasElement, pixels: Float32Array): void {
  cells(canvas, pixels, 28, 28, 1);
}

/**
 * Replaces the children of `box` with one figure per hidden layer: a dense layer's units as a
 * grid, a convolution's channels as small maps side by side.
 */
export function drawHidden(box: HTMLElement, hidden: DigitReading["hidden"]): void {
  const figures = hidden.map(({ shape, data }, l) => {
    const figure = document.createElement("figure");
    figure.className = "layer-maps";
    const caption = document.createElement("figcaption");
    let top = 0;
    for (const v of data) top = Math.max(top, v);
    if (shape.length === 4) {
      const [, channels, h, w] = shape;
      caption.textContent = `Layer ${l + 1}: ${channels} feature maps of ${h}×${w}`;
      for (let c = 0; c < channels; c++) {
        const canvas = document.createElement("canvas");
        canvas.className = "map";
        cells(canvas, data.subarray(c * h * w, (c + 1) * h * w), h, w, top);
        figure.append(canvas);
      }
    } else {
      const units = data.length;
      const cols = Math.min(16, units);
      const active = data.filter((v) => v > 0).length;
      caption.textContent = `Layer ${l + 1}: ${units} units, ${active} active`;
      const canvas = document.createElement("canvas");
      canvas.className = "units";
      canvas.style.aspectRatio = `${cols} / ${Math.ceil(units / cols)}`;
      const padded = new Float32Array(cols * Math.ceil(units / cols));
      padded.set(data);
      cells(canvas, padded, Math.ceil(units / cols), cols, top);
      figure.append(canvas);
    }
    figure.prepend(caption);
    return figure;
  });
  box.replaceChildren(...figures);
}
