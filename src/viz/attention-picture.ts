import type { GPT } from "../nn/gpt.ts";
import { noGrad, Tensor } from "../tensor/tensor.ts";
import { escapeXml, paletteColor, px, svgOpen, tint } from "./svg.ts";

const CELL = 18;
const GAP = 28;
const LABEL = 16;

/**
 * Every attention head of a GPT over one prompt, as heatmaps: one row of pictures per layer,
 * one picture per head. In each, row t is the query at position t and column s a key; the
 * darker the cell, the more of position t's attention goes to position s (above the diagonal
 * is always empty: no position sees a later one). `labels` names each position (a character).
 *
 * @example
 * writeFileSync("attn.svg", attentionSvg(gpt, [0, 5, 13, 13, 1], ["⏎", "e", "m", "m", "a"]));
 */
export function attentionSvg(
  model: GPT,
  ids: readonly number[],
  labels: readonly string[],
  options: { readonly title?: string } = {},
): string {
  if (ids.length !== labels.length)
    throw new RangeError(`attentionSvg: ${ids.length} token ids but ${labels.length} labels`);
  const wasTraining = model.training;
  model.eval();
  const maps: number[][][][] = []; // [layer][head][query][key]
  try {
    for (const block of model.h) block.attn.keepAttention = true;
    noGrad(() => model.forward(new Tensor(Float64Array.from(ids), [1, ids.length])));
    for (const block of model.h) maps.push((block.attn.lastAttention?.toArray() as number[][][][])[0]);
  } finally {
    for (const block of model.h) {
      block.attn.keepAttention = false;
      block.attn.lastAttention = null;
    }
    model.train(wasTraining);
  }
  const t = ids.length;
  const side = t * CELL;
  const heads = model.config.heads;
  const width = LABEL + heads * (side + LABEL + GAP);
  const height = 40 + maps.length * (side + 2 * LABEL + GAP);
  const parts = [svgOpen(width, height, options.title ?? "attention weights")];
  parts.push(
    `<text x="8" y="20" font-size="14">${escapeXml(options.title ?? "attention weights: row = query position, column = key position")}</text>\n`,
  );
  maps.forEach((layer, l) => {
    layer.forEach((head, h) => {
      const x0 = LABEL + h * (side + LABEL + GAP) + LABEL;
      const y0 = 40 + l * (side + 2 * LABEL + GAP) + LABEL;
      const color = paletteColor(h);
      parts.push(`<text x="${x0}" y="${y0 - 4}">layer ${l}, head ${h}</text>\n`);
      head.forEach((row, q) => {
        row.forEach((w, k) => {
          if (k > q) return;
          parts.push(
            `<rect x="${px(x0 + k * CELL)}" y="${px(y0 + q * CELL)}" width="${CELL}" height="${CELL}" fill="${tint(color, w)}"><title>${escapeXml(`${labels[q]} → ${labels[k]}: ${w.toFixed(3)}`)}</title></rect>\n`,
          );
        });
        parts.push(
          `<text x="${x0 - 4}" y="${px(y0 + q * CELL + 13)}" text-anchor="end">${escapeXml(labels[q])}</text>\n`,
        );
        parts.push(
          `<text x="${px(x0 + q * CELL + CELL / 2)}" y="${y0 + side + 13}" text-anchor="middle">${escapeXml(labels[q])}</text>\n`,
        );
      });
      parts.push(`<rect x="${x0}" y="${y0}" width="${side}" height="${side}" fill="none" stroke="#888"/>\n`);
    });
  });
  parts.push("</svg>\n");
  return parts.join("");
}
