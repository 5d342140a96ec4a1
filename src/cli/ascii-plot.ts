/**
 * A terminal picture of a 2-D classifier: each character cell shows the predicted class
 * (`·` / `:` shading per class) and data points are drawn as class digits on top.
 */
export function asciiBoundary(
  predict: (x: number, y: number) => number,
  points: readonly (readonly number[])[],
  labels: readonly number[],
  width = 60,
  height = 22,
): string {
  const pad = 0.25;
  // Loops, not Math.min(...xs): a spread of a large dataset overflows the stack.
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of points) {
    x0 = Math.min(x0, x - pad);
    x1 = Math.max(x1, x + pad);
    y0 = Math.min(y0, y - pad);
    y1 = Math.max(y1, y + pad);
  }
  const shades = [" ", "░", "▒", "▓", "█"];
  const grid: string[][] = [];
  for (let r = 0; r < height; r++) {
    const row: string[] = [];
    for (let c = 0; c < width; c++) {
      const x = x0 + ((c + 0.5) / width) * (x1 - x0);
      const y = y1 - ((r + 0.5) / height) * (y1 - y0);
      row.push(shades[predict(x, y) % shades.length]);
    }
    grid.push(row);
  }
  points.forEach(([x, y], i) => {
    const c = Math.min(width - 1, Math.floor(((x - x0) / (x1 - x0)) * width));
    const r = Math.min(height - 1, Math.floor(((y1 - y) / (y1 - y0)) * height));
    grid[r][c] = String(labels[i]);
  });
  const border = `+${"-".repeat(width)}+`;
  return [border, ...grid.map((row) => `|${row.join("")}|`), border].join("\n");
}
