// The plane: the decision boundary (class probabilities over the grid) drawn scaled, with the
// train points filled and the test points ringed.
import { classColor } from "./colors.ts";
import { gridCanvas, paintBoundary } from "./heatmap.ts";
import type { Problem } from "./problem.ts";

const image = gridCanvas();

/** Draws the boundary (when there are probabilities yet) and every point of `problem`. */
export function drawPlane(canvas: HTMLCanvasElement, problem: Problem, probs: Float32Array | null): void {
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const side = canvas.width;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, side, side);
  if (probs !== null) {
    paintBoundary(image, probs, Math.max(2, problem.classes));
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, 0, 0, side, side);
  }
  const { x0, y0, size } = problem.domain;
  const dot = (x: readonly number[], y: number, test: boolean): void => {
    ctx.beginPath();
    ctx.arc(((x[0] - x0) / size) * side, (1 - (x[1] - y0) / size) * side, test ? 4 : 4.5, 0, 2 * Math.PI);
    ctx.fillStyle = test ? "#fff" : classColor(y);
    ctx.strokeStyle = test ? classColor(y) : "#fff";
    ctx.lineWidth = test ? 2.5 : 1;
    ctx.fill();
    ctx.stroke();
  };
  problem.train.x.forEach((x, i) => {
    dot(x, problem.train.y[i], false);
  });
  problem.test.x.forEach((x, i) => {
    dot(x, problem.test.y[i], true);
  });
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
