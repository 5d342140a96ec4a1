import { axes, type PlotFrame, xPixel, yPixel } from "./plot-frame.ts";
import { escapeXml, paletteColor, px, svgOpen, tint } from "./svg.ts";

/**
 * Labelled 2-D points (a `Dataset` fits).
 *
 * @example
 * const points: LabelledPoints = { x: [[0, 0], [1, 1]], y: [0, 1], labels: ["no", "yes"] };
 */
export interface LabelledPoints {
  /** The points, `[x1, x2]` each. */
  readonly x: readonly (readonly number[])[];
  /** The class of each point. */
  readonly y: readonly number[];
  /** Number of classes (default: the largest label + 1, at least 2). */
  readonly classes?: number;
  /** Class names for the legend (default `class 0`, `class 1`, …). */
  readonly labels?: readonly string[];
}

/**
 * How `decisionBoundarySvg` draws.
 *
 * @example
 * decisionBoundarySvg((p) => model.predict(p), data, { width: 320, height: 320, resolution: 60, title: "moons" });
 */
export interface DecisionBoundaryOptions {
  /** Picture size in pixels (default 480 × 480). */
  readonly width?: number;
  /** Picture height in pixels (default 480). */
  readonly height?: number;
  /** Cells per side of the heatmap (default 80). */
  readonly resolution?: number;
  /** Region shown, `[xmin, xmax, ymin, ymax]` (default: the points' extent plus 10%). */
  readonly bounds?: readonly [number, number, number, number];
  /** One output: the score that separates class 0 from class 1 (default 0, as for hinge). */
  readonly threshold?: number;
  /** One output: how far from the threshold a score is fully confident (default 1). */
  readonly scale?: number;
  /** Caption above the plot. */
  readonly title?: string;
}

/**
 * The class a model's output picks and how sure it is (0 = undecided, 1 = certain).
 *
 * @example
 * const { label, confidence }: ClassConfidence = classConfidence(model.predict(point));
 */
export interface ClassConfidence {
  /** The class picked. */
  readonly label: number;
  /** How sure: 0 = undecided, 1 = certain. */
  readonly confidence: number;
}

/**
 * Reads a model's output as a class and a confidence. One output is a score: class 1 above
 * `threshold`, confidence growing to 1 at `scale` away from it. Several outputs are logits:
 * the class is the largest, the confidence its softmax probability rescaled so that a uniform
 * guess is 0.
 *
 * @example
 * classConfidence([0.5]);       // { label: 1, confidence: 0.5 }
 * classConfidence([2, 0, 0]);   // { label: 0, confidence: 0.68 }
 */
export function classConfidence(out: readonly number[], threshold = 0, scale = 1): ClassConfidence {
  if (out.length === 0) throw new RangeError("classConfidence: the model returned no outputs");
  if (out.length === 1) {
    const d = out[0] - threshold;
    return { label: d > 0 ? 1 : 0, confidence: Number.isFinite(d) ? Math.min(1, Math.abs(d) / scale) : 0 };
  }
  let best = 0;
  for (let i = 1; i < out.length; i++) if (out[i] > out[best]) best = i;
  let sum = 0;
  for (const z of out) sum += Math.exp(z - out[best]);
  const k = out.length;
  const p = 1 / sum;
  return { label: best, confidence: Number.isFinite(p) ? Math.max(0, (p - 1 / k) / (1 - 1 / k)) : 0 };
}

const LEVELS = 6;

/**
 * A picture of a 2-D classifier: the plane shaded by the class the model picks at each point
 * (one colour per class, paler where it is less sure), with the data on top, each point in its
 * true class's colour (points the model gets wrong are ringed in red), axes with ticks, and a
 * legend. Works for binary models (one output) and multi-class ones (one output per class).
 *
 * @example
 * const svg = decisionBoundarySvg((p) => model.predict(p), moons({ n: 100 }));
 */
export function decisionBoundarySvg(
  predict: (point: readonly number[]) => readonly number[],
  data: LabelledPoints,
  options: DecisionBoundaryOptions = {},
): string {
  const { width = 480, height = 480, resolution = 80, threshold = 0, scale = 1 } = options;
  if (data.x.length !== data.y.length) {
    throw new RangeError(`decisionBoundarySvg: ${data.x.length} points but ${data.y.length} labels`);
  }
  for (const [i, p] of data.x.entries()) {
    if (p.length !== 2)
      throw new RangeError(`decisionBoundarySvg: point ${i} has ${p.length} coordinates, expected 2`);
  }
  if (!Number.isInteger(resolution) || resolution < 2) {
    throw new RangeError(`decisionBoundarySvg: resolution must be an integer >= 2, got ${resolution}`);
  }
  const classes = data.classes ?? Math.max(2, ...data.y.map((c) => c + 1));
  const [x0, x1, y0, y1] = options.bounds ?? extent(data.x);
  const guesses = data.x.map((p) => classConfidence(predict(p), threshold, scale).label);
  const wrongCount = guesses.filter((g, i) => g !== data.y[i]).length;
  const top = options.title ? 34 : 14;
  const legend = legendLayout(
    [
      ...Array.from({ length: classes }, (_, k) => data.labels?.[k] ?? `class ${k}`),
      ...(wrongCount > 0 ? [`wrong: ${wrongCount}`] : []),
    ],
    58,
    width - 8,
  );
  const frame: PlotFrame = {
    left: 58,
    top,
    width: width - 58 - 14,
    height: height - top - 48 - 18 * legend.rows,
    x0,
    x1,
    y0,
    y1,
  };
  const parts = [svgOpen(width, height, options.title ?? "decision boundary")];
  if (options.title) {
    parts.push(
      `<text class="title" x="${px(width / 2)}" y="22" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
    );
  }

  const shade = (x: number, y: number): string => {
    const { label, confidence } = classConfidence(predict([x, y]), threshold, scale);
    const level = Math.min(LEVELS - 1, Math.floor(confidence * LEVELS));
    return tint(paletteColor(label), 0.12 + (0.5 * level) / (LEVELS - 1));
  };
  parts.push(heatmap(frame, resolution, shade));
  parts.push(axes(frame, "x1", "x2", false));

  parts.push(pointMarks(frame, data, guesses));
  parts.push(legendMarks(legend, classes, height));
  parts.push("</svg>\n");
  return parts.join("\n");
}

/** The data, in the colour of each point's true class; points the model gets wrong ringed in red. */
function pointMarks(frame: PlotFrame, data: LabelledPoints, guesses: readonly number[]): string {
  const parts = [`<g class="points" stroke-width="0.8">`];
  data.x.forEach((p, i) => {
    const wrong = guesses[i] !== data.y[i];
    parts.push(
      `<circle cx="${px(xPixel(frame, p[0]))}" cy="${px(yPixel(frame, p[1]))}" r="3.6" fill="${paletteColor(data.y[i])}" stroke="${wrong ? "#e00000" : "#1a1a1a"}"${wrong ? ' stroke-width="2"' : ""}/>`,
    );
  });
  parts.push("</g>");
  return parts.join("\n");
}

/** One swatch per class, then the count of mistakes (item `classes`), in the rows `legend` laid out. */
function legendMarks(legend: ReturnType<typeof legendLayout>, classes: number, height: number): string {
  const parts = [`<g class="legend" font-size="12">`];
  legend.items.forEach(({ name, x, row }, k) => {
    const ly = height - 12 - 18 * (legend.rows - 1 - row);
    const look =
      k === classes
        ? 'fill="#ffffff" stroke="#e00000" stroke-width="2"'
        : `fill="${paletteColor(k)}" stroke="#1a1a1a" stroke-width="0.8"`;
    parts.push(`<circle cx="${px(x + 5)}" cy="${px(ly - 4)}" r="5" ${look}/>`);
    parts.push(`<text x="${px(x + 15)}" y="${px(ly)}">${escapeXml(name)}</text>`);
  });
  parts.push("</g>");
  return parts.join("\n");
}

/**
 * The shaded plane: `resolution` × `resolution` cells, each the colour `shade` gives its centre,
 * drawn one row at a time with neighbouring cells of the same shade merged into one rectangle.
 */
function heatmap(frame: PlotFrame, resolution: number, shade: (x: number, y: number) => string): string {
  const { x0, x1, y0, y1 } = frame;
  const parts = [`<g class="heatmap" shape-rendering="crispEdges">`];
  const cw = frame.width / resolution;
  const ch = frame.height / resolution;
  for (let r = 0; r < resolution; r++) {
    const y = y1 - ((r + 0.5) / resolution) * (y1 - y0);
    let runStart = 0;
    let runColor = "";
    const flush = (end: number): void => {
      if (end > runStart) {
        parts.push(
          `<rect x="${px(frame.left + runStart * cw)}" y="${px(frame.top + r * ch)}" width="${px((end - runStart) * cw + 0.5)}" height="${px(ch + 0.5)}" fill="${runColor}"/>`,
        );
      }
    };
    for (let c = 0; c < resolution; c++) {
      const color = shade(x0 + ((c + 0.5) / resolution) * (x1 - x0), y);
      if (color !== runColor) {
        flush(c);
        runStart = c;
        runColor = color;
      }
    }
    flush(resolution);
  }
  parts.push("</g>");
  return parts.join("\n");
}

/**
 * Places legend entries left to right, wrapping to a new row before `right`; text width is
 * estimated (7 px per character at 12 px DejaVu Sans) since no fonts are measured here.
 */
function legendLayout(
  names: readonly string[],
  left: number,
  right: number,
): { items: { name: string; x: number; row: number }[]; rows: number } {
  const items: { name: string; x: number; row: number }[] = [];
  let x = left;
  let row = 0;
  for (const name of names) {
    const w = 15 + 7 * name.length + 18;
    if (x > left && x + w - 18 > right) {
      x = left;
      row++;
    }
    items.push({ name, x, row });
    x += Math.max(w, 90);
  }
  return { items, rows: row + 1 };
}

/** The points' bounding box, 10% larger on each side (a unit box around a single point). */
function extent(points: readonly (readonly number[])[]): [number, number, number, number] {
  if (points.length === 0) return [-1, 1, -1, 1];
  let [ax, bx, ay, by] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of points) {
    ax = Math.min(ax, x);
    bx = Math.max(bx, x);
    ay = Math.min(ay, y);
    by = Math.max(by, y);
  }
  const dx = bx - ax || 2;
  const dy = by - ay || 2;
  return [ax - 0.1 * dx, bx + 0.1 * dx, ay - 0.1 * dy, by + 0.1 * dy];
}
