/** The font every picture asks for: installed almost everywhere, and what resvg finds here. */
export const FONT_FAMILY = "DejaVu Sans";

/**
 * One colour per class (or per run), distinguishable and readable on white: the first ten
 * follow the widely used "category10" hues. The playground paints its classes with the same
 * palette, so class 0 is blue everywhere.
 *
 * @example
 * PALETTE[0]; // "#1f77b4", the colour of class 0
 */
export const PALETTE: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/** The colour of class or series `i` (the palette repeats beyond ten). */
export function paletteColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A coordinate rounded to 0.01 px, without trailing zeros (keeps SVG files small). */
export function px(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Mixes a `#rrggbb` colour with white: `amount` 0 gives white, 1 the colour itself. */
export function tint(color: string, amount: number): string {
  const a = Math.min(1, Math.max(0, amount));
  const channel = (k: number): string => {
    const c = Number.parseInt(color.slice(1 + 2 * k, 3 + 2 * k), 16);
    return Math.round(255 + (c - 255) * a)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

/** The opening `<svg>` tag with a white background and the picture's font. */
export function svgOpen(width: number, height: number, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" font-size="12">\n` +
    `<title>${escapeXml(title)}</title>\n<rect width="${width}" height="${height}" fill="#ffffff"/>\n`
  );
}
