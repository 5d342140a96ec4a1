import { axes, type PlotFrame, xPixel, yPixel } from "./plot-frame.ts";
import { escapeXml, paletteColor, px, svgOpen } from "./svg.ts";

/**
 * Progress at one step (the `StepInfo` that `fit` reports fits).
 *
 * @example
 * const point: CurvePoint = { step: 10, loss: 0.42, accuracy: 0.9 };
 */
export interface CurvePoint {
  /** Updates made so far. */
  readonly step: number;
  /** The loss at that step. */
  readonly loss: number;
  /** Between 0 and 1. */
  readonly accuracy?: number;
}

/**
 * One training run: its training curve and, optionally, its validation curve.
 *
 * @example
 * const run: CurveRun = { name: "adam", train: result.history, validation: valPoints };
 */
export interface CurveRun {
  /** Shown in the legend. */
  readonly name: string;
  /** Training points (solid line). */
  readonly train: readonly CurvePoint[];
  /** Validation points (dashed line). */
  readonly validation?: readonly CurvePoint[];
}

/**
 * How `trainingCurvesSvg` draws.
 *
 * @example
 * trainingCurvesSvg(runs, { width: 600, height: 300, logLoss: true, smoothing: 0.6, title: "batch 16" });
 */
export interface TrainingCurvesOptions {
  /** Picture size in pixels (default 760 × 340). */
  readonly width?: number;
  /** Picture height in pixels (default 340). */
  readonly height?: number;
  /** Loss on a log scale: `auto` (default) when all losses are > 0 and span over 30×. */
  readonly logLoss?: boolean | "auto";
  /** Caption above the plots. */
  readonly title?: string;
  /**
   * Exponential moving average of the training curves, 0 (default, none) to below 1, as
   * TensorBoard does: noisy mini-batch curves become readable; the raw curve stays behind,
   * faint. Validation curves (a fixed set, not noisy) are drawn as they are.
   */
  readonly smoothing?: number;
}

/**
 * Loss and accuracy against the step, side by side: one colour per run, solid lines for
 * training and dashed lines for validation, with axes, ticks and a legend. The accuracy panel
 * is left out when no point has an accuracy.
 *
 * @example
 * trainingCurvesSvg([{ name: "full batch", train: result.history }]);
 */
export function trainingCurvesSvg(runs: readonly CurveRun[], options: TrainingCurvesOptions = {}): string {
  const { width = 760, height = 340, logLoss = "auto", smoothing = 0 } = options;
  if (runs.length === 0) throw new RangeError("trainingCurvesSvg: give at least one run");
  if (!(smoothing >= 0 && smoothing < 1)) {
    throw new RangeError(`trainingCurvesSvg: smoothing must be in [0, 1), got ${smoothing}`);
  }
  const series = runs.flatMap((run, r): Series[] => [
    { run: r, kind: "train", points: run.train.filter((p) => Number.isFinite(p.loss)) },
    { run: r, kind: "validation", points: (run.validation ?? []).filter((p) => Number.isFinite(p.loss)) },
  ]);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) throw new RangeError("trainingCurvesSvg: the runs have no points");
  const hasAccuracy = all.some((p) => p.accuracy !== undefined && Number.isFinite(p.accuracy));
  const hasValidation = runs.some((r) => (r.validation ?? []).length > 0);

  const top = options.title ? 36 : 14;
  const legendHeight = 22 * Math.ceil(runs.length / 4) + (hasValidation ? 20 : 0);
  const panels = hasAccuracy ? 2 : 1;
  const gap = 70;
  const left = 66;
  const panelWidth = (width - left - 16 - (panels - 1) * gap) / panels;
  const lossFrame = lossFrameOf(all, logLoss, {
    left,
    top,
    width: panelWidth,
    height: height - top - 46 - legendHeight,
  });
  const accFrame: PlotFrame = { ...lossFrame, left: left + panelWidth + gap, y0: 0, y1: 1, logY: false };

  const parts = [svgOpen(width, height, options.title ?? "training curves")];
  if (options.title) {
    parts.push(
      `<text class="title" x="${px(width / 2)}" y="22" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
    );
  }
  parts.push(axes(lossFrame, "step", lossFrame.logY ? "loss (log scale)" : "loss"));
  if (hasAccuracy) parts.push(axes(accFrame, "step", "accuracy"));
  for (const s of series) {
    if (s.points.length === 0) continue;
    const raw = thin(s.points, Math.ceil(panelWidth * 2));
    const name = `${runs[s.run].name} ${s.kind}`;
    if (smoothing > 0 && s.kind === "train") {
      parts.push(...curvePaths(s, name, raw, true, lossFrame, hasAccuracy ? accFrame : undefined));
      parts.push(
        ...curvePaths(s, name, smooth(raw, smoothing), false, lossFrame, hasAccuracy ? accFrame : undefined),
      );
    } else parts.push(...curvePaths(s, name, raw, false, lossFrame, hasAccuracy ? accFrame : undefined));
  }
  parts.push(legend(runs, hasValidation, left, width, height - legendHeight + 6));
  parts.push("</g>\n</svg>\n");
  return parts.join("\n");
}

/** One run's training or validation points. */
interface Series {
  readonly run: number;
  readonly kind: "train" | "validation";
  readonly points: readonly CurvePoint[];
}

/** The loss panel's frame: steps across, the loss range up (log when asked or when it spans over 30×). */
function lossFrameOf(
  points: readonly CurvePoint[],
  logLoss: boolean | "auto",
  box: Pick<PlotFrame, "left" | "top" | "width" | "height">,
): PlotFrame {
  let [s0, s1] = [Infinity, -Infinity];
  let [l0, l1] = [Infinity, -Infinity];
  for (const p of points) {
    s0 = Math.min(s0, p.step);
    s1 = Math.max(s1, p.step);
    l0 = Math.min(l0, p.loss);
    l1 = Math.max(l1, p.loss);
  }
  if (s0 === s1) [s0, s1] = [s0 - 1, s1 + 1];
  const logY = logLoss === "auto" ? l0 > 0 && l1 / l0 > 30 : logLoss && l0 > 0;
  const [y0, y1] = logY
    ? [10 ** Math.floor(Math.log10(l0)), 10 ** Math.ceil(Math.log10(l1))]
    : [Math.min(0, l0), l1 === l0 ? l1 + 1 : l1 + 0.05 * (l1 - Math.min(0, l0))];
  return { ...box, x0: s0, x1: s1, y0, y1, logY };
}

/** A series' loss path (and accuracy path, with an accuracy panel): solid or dashed, faint when raw under a smoothed curve. */
function curvePaths(
  s: Series,
  name: string,
  points: readonly CurvePoint[],
  faint: boolean,
  lossFrame: PlotFrame,
  accFrame: PlotFrame | undefined,
): string[] {
  const dash = s.kind === "validation" ? ' stroke-dasharray="6 4"' : "";
  const look = `fill="none" stroke="${paletteColor(s.run)}" stroke-width="${faint ? 1 : 1.6}"${faint ? ' stroke-opacity="0.18"' : ""}${dash}`;
  const cls = faint ? " raw" : "";
  const lossY = (loss: number): number =>
    yPixel(lossFrame, lossFrame.logY ? Math.max(loss, lossFrame.y0) : loss);
  const out = [
    `<path class="loss-curve${cls}" data-series="${escapeXml(name)}" d="${path(points, (p) => [xPixel(lossFrame, p.step), lossY(p.loss)])}" ${look}/>`,
  ];
  const withAccuracy = points.filter((p) => p.accuracy !== undefined && Number.isFinite(p.accuracy));
  if (accFrame !== undefined && withAccuracy.length > 0) {
    out.push(
      `<path class="accuracy-curve${cls}" data-series="${escapeXml(name)}" d="${path(withAccuracy, (p) => [xPixel(accFrame, p.step), yPixel(accFrame, p.accuracy ?? 0)])}" ${look}/>`,
    );
  }
  return out;
}

/** The legend (opened, closed by the caller with the picture): a swatch per run, then what solid and dashed mean. */
function legend(
  runs: readonly CurveRun[],
  hasValidation: boolean,
  left: number,
  width: number,
  top: number,
): string {
  const parts = [`<g class="legend" font-size="12">`];
  runs.forEach((run, r) => {
    const lx = left + (r % 4) * ((width - left) / 4);
    const ly = top + 22 * Math.floor(r / 4);
    parts.push(`<rect x="${px(lx)}" y="${px(ly)}" width="18" height="4" fill="${paletteColor(r)}"/>`);
    parts.push(`<text x="${px(lx + 24)}" y="${px(ly + 6)}">${escapeXml(run.name)}</text>`);
  });
  if (hasValidation) {
    const ly = top + 22 * Math.ceil(runs.length / 4);
    parts.push(
      `<line x1="${left}" y1="${ly}" x2="${left + 24}" y2="${ly}" stroke="#333333" stroke-width="1.6"/>`,
    );
    parts.push(`<text x="${left + 30}" y="${ly + 4}">train</text>`);
    parts.push(
      `<line x1="${left + 90}" y1="${ly}" x2="${left + 114}" y2="${ly}" stroke="#333333" stroke-width="1.6" stroke-dasharray="6 4"/>`,
    );
    parts.push(`<text x="${left + 120}" y="${ly + 4}">validation</text>`);
  }
  return parts.join("\n");
}

/** At most about `max` points, evenly spread, the first and last always kept. */
function thin(points: readonly CurvePoint[], max: number): readonly CurvePoint[] {
  if (points.length <= max) return points;
  const every = points.length / max;
  const out: CurvePoint[] = [];
  for (let k = 0; k < max; k++) out.push(points[Math.floor(k * every)]);
  out.push(points[points.length - 1]);
  return out;
}

/** Exponential moving average of loss and accuracy, debiased as in Adam so the start is not pulled to 0. */
function smooth(points: readonly CurvePoint[], beta: number): CurvePoint[] {
  let loss = 0;
  let acc = 0;
  let weight = 0;
  return points.map((p) => {
    weight = beta * weight + (1 - beta);
    loss = beta * loss + (1 - beta) * p.loss;
    if (p.accuracy !== undefined) acc = beta * acc + (1 - beta) * p.accuracy;
    return {
      step: p.step,
      loss: loss / weight,
      ...(p.accuracy !== undefined ? { accuracy: acc / weight } : {}),
    };
  });
}

function path(points: readonly CurvePoint[], at: (p: CurvePoint) => [number, number]): string {
  return points
    .map((p, i) => {
      const [x, y] = at(p);
      return `${i === 0 ? "M" : "L"}${px(x)} ${px(y)}`;
    })
    .join(" ");
}
