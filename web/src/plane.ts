// The plane: the decision boundary (class probabilities over the grid), a regression's output
// as a continuous colour, or one neuron's output, drawn scaled, with the train points filled
// and the test points ringed.
import { classColor } from "./colors.ts";
import { gridCanvas, paintBoundary, paintNeuron, paintSigned, signedRgb } from "./heatmap.ts";
import type { Problem } from "./problem.ts";

const image = gridCanvas();

/** What the plane shows under the points. */
export interface PlaneView {
  /** Class probabilities per grid cell, or a regression's output; null before the first report. */
  readonly probs: Float32Array | null;
  /** Only the likeliest class, at one strength. */
  readonly discretize: boolean;
  /** Draw the test points. */
  readonly showTest: boolean;
  /** One hidden neuron's outputs to show instead of the network's (GRID*GRID from `offset`). */
  readonly neuron?: { readonly values: Float32Array; readonly offset: number };
}

/** The colour of a regression target or output `v` (the scale is ±1, as the data's). */
const targetColor = (v: number): string => {
  const [r, g, b] = signedRgb(v);
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
};

/** Draws the picture `view` asks for and the points of `problem`. */
export function drawPlane(canvas: HTMLCanvasElement, problem: Problem, view: PlaneView): void {
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const side = canvas.width;
  const regression = problem.classes === 1;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, side, side);
  if (view.neuron !== undefined) paintNeuron(image, view.neuron.values, view.neuron.offset);
  else if (view.probs !== null && regression) paintSigned(image, view.probs, 0, 1);
  else if (view.probs !== null)
    paintBoundary(image, view.probs, Math.max(2, problem.classes), view.discretize);
  if (view.neuron !== undefined || view.probs !== null) {
    // Discrete classes show as crisp cells; everything else is smoothed between cells.
    ctx.imageSmoothingEnabled = !(view.discretize && view.neuron === undefined && !regression);
    ctx.drawImage(image, 0, 0, side, side);
  }
  const { x0, y0, size } = problem.domain;
  const dot = (x: readonly number[], y: number, test: boolean): void => {
    const color = regression ? targetColor(y) : classColor(y);
    ctx.beginPath();
    ctx.arc(((x[0] - x0) / size) * side, (1 - (x[1] - y0) / size) * side, test ? 4 : 4.5, 0, 2 * Math.PI);
    ctx.fillStyle = test ? "#fff" : color;
    ctx.strokeStyle = test ? color : regression ? "#333" : "#fff";
    ctx.lineWidth = test ? 2.5 : 1;
    ctx.fill();
    ctx.stroke();
  };
  problem.points.train.forEach((x, i) => {
    dot(x, problem.train.y[i], false);
  });
  if (view.showTest) {
    problem.points.test.forEach((x, i) => {
      dot(x, problem.test.y[i], true);
    });
  }
}

/** The point of the plane under a click (rounded to 2 decimals, as stored in the URL). */
export function pointAt(
  canvas: HTMLCanvasElement,
  problem: Problem,
  clientX: number,
  clientY: number,
): [number, number] {
  const box = canvas.getBoundingClientRect();
  const { x0, y0, size } = problem.domain;
  const round = (v: number): number => Math.round(v * 100) / 100;
  return [
    round(x0 + (size * (clientX - box.left)) / box.width),
    round(y0 + size * (1 - (clientY - box.top) / box.height)),
  ];
}
