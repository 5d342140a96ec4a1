// A small line chart on canvas: a few series of (step, value) with axes labels. Enough for loss
// and accuracy curves, at a fraction of a charting library's size.

/** One line of the chart. */
export interface Series {
  readonly points: readonly (readonly [number, number])[];
  readonly color: string;
  readonly dashed?: boolean;
}

/** Scale of the value axis: fixed bounds, or from the data (from 0 up). */
export interface ChartOptions {
  readonly yMax?: number;
  readonly format: (v: number) => string;
}

/** Draws the series over steps 0..last; sized to the canvas's CSS width at the device's pixel ratio. */
export function drawChart(canvas: HTMLCanvasElement, series: readonly Series[], options: ChartOptions): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px system-ui, sans-serif";
  const bottom = height - 18;
  const right = width - 8;
  const top = 8;
  let xMax = 1;
  let yMax = options.yMax ?? 0;
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (x > xMax) xMax = x;
      if (options.yMax === undefined && Number.isFinite(y) && y > yMax) yMax = y;
    }
  }
  if (yMax <= 0) yMax = 1;
  // The value axis is as wide as its longest label, so that no label is clipped.
  const labels = [0, 0.5, 1].map((f) => options.format(yMax * f));
  const left = 8 + Math.max(...labels.map((t) => ctx.measureText(t).width));
  canvas.dataset.labels = labels.join(" | "); // what the axis says, for tests and tools
  canvas.dataset.points = series.map((s) => s.points.length).join(" "); // how many points each line has
  const px = (x: number): number => left + ((right - left) * x) / xMax;
  const py = (y: number): number => bottom - ((bottom - top) * Math.min(y, yMax)) / yMax;
  ctx.fillStyle = "#555";
  ctx.strokeStyle = "#ddd";
  ctx.lineWidth = 1;
  ctx.textBaseline = "middle";
  for (const [k, f] of [0, 0.5, 1].entries()) {
    const y = py(yMax * f);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(right, y);
    ctx.stroke();
    ctx.textAlign = "right";
    ctx.fillText(labels[k], left - 4, y);
  }
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  ctx.fillText("step 0", left, height - 4);
  ctx.textAlign = "right";
  ctx.fillText(String(xMax), right, height - 4);
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [5, 3] : []);
    ctx.beginPath();
    let started = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y)) continue;
      if (started) ctx.lineTo(px(x), py(y));
      else ctx.moveTo(px(x), py(y));
      started = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}
