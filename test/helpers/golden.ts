// Loads a fixture written by scripts/golden.py (PyTorch, float64) from test/golden/.
import { readFileSync } from "node:fs";

/** The parsed JSON of `test/golden/<name>`. */
export function golden<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../golden/${name}`, import.meta.url), "utf8")) as T;
}
