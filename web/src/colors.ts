// Colours of the classes and of positive/negative numbers, shared by every picture.

/** RGB of class 0, 1, 2, 3. */
export const CLASS_RGB: readonly (readonly [number, number, number])[] = [
  [245, 147, 34],
  [8, 119, 189],
  [44, 160, 44],
  [148, 103, 189],
];

/** CSS colour of a class. */
export function classColor(k: number): string {
  const [r, g, b] = CLASS_RGB[k % CLASS_RGB.length];
  return `rgb(${r},${g},${b})`;
}

/** CSS colour of a signed number: blue when positive, orange when negative. */
export function signColor(v: number): string {
  return v >= 0 ? classColor(1) : classColor(0);
}
