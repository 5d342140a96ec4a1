import { escapeXml, px } from "./svg.ts";
import { niceTicks, tickLabel } from "./ticks.ts";

/** A plotting area on the page and the data range it shows. */
export interface PlotFrame {
  /** Left, top, width and height of the area, in pixels. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** Data range shown: x from `x0` to `x1`, y from `y0` (bottom) to `y1` (top). */
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  /** Whether y is on a log scale (then `y0`, `y1` are the data values, both > 0). */
  readonly logY?: boolean;
}

/** The pixel column of data x. */
export function xPixel(f: PlotFrame, x: number): number {
  return f.left + ((x - f.x0) / (f.x1 - f.x0 || 1)) * f.width;
}

/** The pixel row of data y. */
export function yPixel(f: PlotFrame, y: number): number {
  const t = f.logY
    ? (Math.log10(y) - Math.log10(f.y0)) / (Math.log10(f.y1) - Math.log10(f.y0) || 1)
    : (y - f.y0) / (f.y1 - f.y0 || 1);
  return f.top + (1 - t) * f.height;
}

/** Tick values of a log axis: powers of ten inside the range (or nice ticks if there are under 2). */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.ceil(Math.log10(lo) - 1e-9); p <= Math.floor(Math.log10(hi) + 1e-9); p++)
    ticks.push(10 ** p);
  return ticks.length >= 2 ? ticks : niceTicks(lo, hi, 4);
}

/** The frame's border, ticks with labels on the left and bottom, light grid lines and axis titles. */
export function axes(f: PlotFrame, xTitle: string, yTitle: string, grid = true): string {
  const parts: string[] = [];
  const bottom = f.top + f.height;
  const xs = niceTicks(f.x0, f.x1, Math.max(2, Math.round(f.width / 80)));
  const ys = f.logY ? logTicks(f.y0, f.y1) : niceTicks(f.y0, f.y1, Math.max(2, Math.round(f.height / 50)));
  const yLabel = (y: number): string => (f.logY ? formatLog(y) : tickLabel(y, ys));
  parts.push(`<g class="axes" font-size="11" fill="#333333">`);
  for (const x of xs) {
    const X = px(xPixel(f, x));
    if (grid)
      parts.push(
        `<line x1="${X}" y1="${px(f.top)}" x2="${X}" y2="${px(bottom)}" stroke="#000000" stroke-opacity="0.08"/>`,
      );
    parts.push(`<line x1="${X}" y1="${px(bottom)}" x2="${X}" y2="${px(bottom + 5)}" stroke="#333333"/>`);
    parts.push(
      `<text class="tick" x="${X}" y="${px(bottom + 17)}" text-anchor="middle">${tickLabel(x, xs)}</text>`,
    );
  }
  for (const y of ys) {
    const Y = px(yPixel(f, y));
    if (grid)
      parts.push(
        `<line x1="${px(f.left)}" y1="${Y}" x2="${px(f.left + f.width)}" y2="${Y}" stroke="#000000" stroke-opacity="0.08"/>`,
      );
    parts.push(`<line x1="${px(f.left - 5)}" y1="${Y}" x2="${px(f.left)}" y2="${Y}" stroke="#333333"/>`);
    parts.push(
      `<text class="tick" x="${px(f.left - 8)}" y="${px(yPixel(f, y) + 4)}" text-anchor="end">${yLabel(y)}</text>`,
    );
  }
  parts.push(
    `<rect x="${px(f.left)}" y="${px(f.top)}" width="${px(f.width)}" height="${px(f.height)}" fill="none" stroke="#333333"/>`,
  );
  parts.push(
    `<text class="axis-title" x="${px(f.left + f.width / 2)}" y="${px(bottom + 34)}" text-anchor="middle" font-size="12">${escapeXml(xTitle)}</text>`,
  );
  const cy = px(f.top + f.height / 2);
  parts.push(
    `<text class="axis-title" x="${px(f.left - 44)}" y="${cy}" text-anchor="middle" font-size="12" transform="rotate(-90 ${px(f.left - 44)} ${cy})">${escapeXml(yTitle)}</text>`,
  );
  parts.push("</g>");
  return parts.join("\n");
}

function formatLog(y: number): string {
  const p = Math.log10(y);
  if (Number.isInteger(Math.round(p * 1e9) / 1e9) && Math.abs(p) >= 3) return `1e${Math.round(p)}`;
  return String(Number(y.toPrecision(3)));
}
