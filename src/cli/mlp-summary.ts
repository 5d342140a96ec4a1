import { mlpParameterCount } from "./size-limits.ts";

/**
 * A picture of an MLP too big to draw value by value: one box per layer with its sizes,
 * activation and parameter count, in the DOT `graph` writes. Built from the sizes alone, so a
 * network of any size is summarised at once.
 */
export function mlpSummaryDot(
  sizes: readonly number[],
  activation: string,
  why: string,
  title?: string,
): string {
  const count = (n: number): string => n.toLocaleString("en");
  const boxes = [`input [label="input\\n${count(sizes[0])} values"];`];
  for (let i = 1; i < sizes.length; i++) {
    const act = i === sizes.length - 1 ? "linear" : activation;
    const params = mlpParameterCount([sizes[i - 1], sizes[i]]);
    boxes.push(
      `layer${i} [label="layer ${i}: ${count(sizes[i])} neurons, ${act}\\n${count(sizes[i - 1])} → ${count(sizes[i])}, ${count(params)} parameters"];`,
    );
  }
  const edges = sizes.slice(1).map((_, i) => `${i === 0 ? "input" : `layer${i}`} -> layer${i + 1};`);
  const summary = `summary of MLP ${sizes.join("-")} by layer (${why})`;
  return [
    `// micrograd-ts toDot: ${summary}`,
    "digraph G {",
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fillcolor="#eeeef8", fontname="Helvetica"];',
    `  labelloc=t; label=${JSON.stringify(`${title ?? `MLP ${sizes.join("-")}: ${count(mlpParameterCount(sizes))} parameters`}\n${why}`)};`,
    ...boxes.map((b) => `  ${b}`),
    ...edges.map((e) => `  ${e}`),
    "}",
    "",
  ].join("\n");
}
