// Pictures of a convolutional network: its first layer's filters, and the feature maps one image
// makes in each convolution. Every small image is drawn in a diverging scale (blue negative,
// white zero, red positive, each image scaled to its own largest magnitude), as pixels of one
// path per colour so that the SVG stays small.
import { Conv2d } from "../nn/conv2d.ts";
import type { Sequential } from "../nn/sequential.ts";
import { noGrad, type Tensor } from "../tensor/tensor.ts";
import { escapeXml, PALETTE, px, svgOpen, tint } from "./svg.ts";

/** A small image to draw: `height × width` numbers, row-major. */
interface Plane {
  readonly data: ArrayLike<number>;
  readonly height: number;
  readonly width: number;
}

/** A row of the picture: a caption and its images. */
interface Strip {
  readonly caption: string;
  readonly planes: readonly Plane[];
}

const CELL = 56; // px per image
const GAP = 6;
const LEVELS = 12; // colour steps on each side of zero
const MARGIN = 12;

/** Draws strips of images, one strip per row, with a title and a line saying how colours read. */
function stripsSvg(strips: readonly Strip[], title: string): string {
  const columns = Math.max(...strips.map((s) => s.planes.length));
  const width = Math.max(560, 2 * MARGIN + columns * (CELL + GAP) - GAP); // room for the note on colours
  const rowHeight = 18 + CELL + GAP * 2;
  const height = 44 + strips.length * rowHeight + 18;
  const paths = new Map<string, string[]>(); // colour -> pixel runs
  const texts: string[] = [`<text x="${MARGIN}" y="20" font-size="14">${escapeXml(title)}</text>`];
  for (const [r, strip] of strips.entries()) {
    const top = 44 + r * rowHeight;
    texts.push(`<text x="${MARGIN}" y="${top + 12}">${escapeXml(strip.caption)}</text>`);
    for (const [c, plane] of strip.planes.entries()) {
      const left = MARGIN + c * (CELL + GAP);
      const size = CELL / Math.max(plane.height, plane.width);
      addPixels(paths, plane, left, top + 18, size);
    }
  }
  const body = [...paths].map(([fill, runs]) => `<path fill="${fill}" d="${runs.join("")}"/>`);
  const note = `blue: negative, white: zero, red: positive (each image scaled to its largest magnitude)`;
  texts.push(`<text x="${MARGIN}" y="${height - 8}" font-size="11" fill="#555">${note}</text>`);
  return `${svgOpen(width, height, title)}${body.join("\n")}\n${texts.join("\n")}\n</svg>\n`;
}

/** Adds one image's pixels to the per-colour paths, runs of equal colour along a row as one rectangle. */
function addPixels(
  paths: Map<string, string[]>,
  plane: Plane,
  left: number,
  top: number,
  size: number,
): void {
  let largest = 0;
  for (let i = 0; i < plane.height * plane.width; i++) largest = Math.max(largest, Math.abs(plane.data[i]));
  const level = (v: number): number => (largest === 0 ? 0 : Math.round((v / largest) * LEVELS));
  for (let y = 0; y < plane.height; y++) {
    let x = 0;
    while (x < plane.width) {
      const l = level(plane.data[y * plane.width + x]);
      let end = x + 1;
      while (end < plane.width && level(plane.data[y * plane.width + end]) === l) end++;
      if (l !== 0) {
        const fill = tint(l > 0 ? PALETTE[3] : PALETTE[0], Math.abs(l) / LEVELS);
        const run = `M${px(left + x * size)} ${px(top + y * size)}h${px((end - x) * size)}v${px(size)}h${px(-(end - x) * size)}z`;
        const runs = paths.get(fill);
        if (runs === undefined) paths.set(fill, [run]);
        else runs.push(run);
      }
      x = end;
    }
  }
}

/** The `[h, w]` planes of `t` (`[n, c, h, w]` or `[c, in, h, w]`), in order. */
function planesOf(t: Tensor, count: number): Plane[] {
  const [height, width] = t.shape.slice(-2);
  const data = t.data.slice(); // a copy: a backend may reuse the memory a tensor's data views
  return Array.from({ length: count }, (_, i) => ({
    data: data.subarray(i * height * width, (i + 1) * height * width),
    height,
    width,
  }));
}

/**
 * The filters of a convolution layer as an SVG picture: one row per input channel, one image
 * per filter (a first layer on grey images has one row). What each filter responds to reads
 * off its colours: red weights reward bright pixels there, blue ones dark pixels.
 *
 * @example
 * const conv = model.layers.find((l) => l instanceof Conv2d) as Conv2d;
 * writeFileSync("filters.svg", convFiltersSvg(conv, { title: "first layer" }));
 */
export function convFiltersSvg(conv: Conv2d, options: { readonly title?: string } = {}): string {
  const [out, inputs] = conv.weight.shape;
  const planes = planesOf(conv.weight, out * inputs);
  const strips: Strip[] = [];
  for (let c = 0; c < inputs; c++) {
    strips.push({
      caption: `${out} filters of ${conv.kernelSize.join("×")}${inputs > 1 ? `, input channel ${c}` : ""}`,
      planes: Array.from({ length: out }, (_, o) => planes[o * inputs + c]),
    });
  }
  return stripsSvg(strips, options.title ?? "filters of the first convolution");
}

/**
 * What one image becomes inside a convolutional network: the image, then the output of each
 * `Conv2d` layer of `model` (one image per channel), computed in evaluation mode without
 * gradients. `image` is one sample as the model takes it (e.g. `[1, 784]` or `[1, 1, 28, 28]`).
 *
 * @example
 * const digit = new Tensor(pixels, [1, 784]);
 * writeFileSync("feature-maps.svg", featureMapsSvg(model, digit, { title: "a 7" }));
 */
export function featureMapsSvg(
  model: Sequential,
  image: Tensor,
  options: { readonly title?: string } = {},
): string {
  if (image.shape[0] !== 1)
    throw new RangeError(
      `featureMapsSvg: expected one image (a batch of 1), got shape [${image.shape.join(", ")}]`,
    );
  const wasTraining = model.training;
  model.eval();
  const strips: Strip[] = [];
  try {
    noGrad(() => {
      let h = image;
      let conv = 0;
      for (const layer of model.layers) {
        if (h.ndim === 4 && strips.length === 0)
          strips.push({ caption: "input", planes: planesOf(h, h.shape[1]) });
        h = layer.forward(h);
        if (layer instanceof Conv2d) {
          conv++;
          const [, channels, height, width] = h.shape;
          const caption = `convolution ${conv}: ${channels} feature maps of ${height}×${width}`;
          strips.push({ caption, planes: planesOf(h, channels) });
        }
      }
    });
  } finally {
    model.train(wasTraining);
  }
  if (strips.length < 2) throw new RangeError("featureMapsSvg: the model has no Conv2d layer");
  return stripsSvg(strips, options.title ?? "feature maps");
}
