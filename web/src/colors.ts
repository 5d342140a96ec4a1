// Colours of the classes and of positive/negative numbers, shared by every picture. The classes
// use the library's PALETTE (what the CLI's pictures use), so class 0 is blue everywhere.
import { PALETTE } from "../../src/index.ts";

/** "#rrggbb" as [r, g, b]. */
function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** RGB of class 0, 1, 2, 3: the library's PALETTE. */
export const CLASS_RGB: readonly (readonly [number, number, number])[] = PALETTE.slice(0, 4).map(rgb);

/** RGB of positive numbers (blue) and negative ones (orange), as TensorFlow Playground draws them. */
export const POSITIVE_RGB = CLASS_RGB[0];
export const NEGATIVE_RGB = CLASS_RGB[1];

/** CSS colour of a class. */
export function classColor(k: number): string {
  const [r, g, b] = CLASS_RGB[k % CLASS_RGB.length];
  return `rgb(${r},${g},${b})`;
}

/** CSS colour of a signed number: blue when positive, orange when negative. */
export function signColor(v: number): string {
  return v >= 0 ? classColor(0) : classColor(1);
}
