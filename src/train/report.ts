import type { ClassificationMetrics } from "./classification-metrics.ts";
import type { RegressionMetrics } from "./regression-metrics.ts";

/**
 * A readable text report: a table of precision, recall, F1 and support per class, the macro
 * averages, accuracy, the log loss when given, and the confusion matrix (rows: actual class,
 * columns: predicted class).
 *
 * @example
 * console.log(classificationReport(classificationMetrics(pred, y, 3), { labels: ["a", "b", "c"] }));
 */
export function classificationReport(
  metrics: ClassificationMetrics,
  options: { readonly labels?: readonly string[]; readonly logLoss?: number } = {},
): string {
  const classes = metrics.perClass.length;
  const names = Array.from({ length: classes }, (_, c) => options.labels?.[c] ?? String(c));
  const width = Math.max(9, ...names.map((s) => s.length));
  const f = (v: number): string => v.toFixed(3).padStart(9);
  const lines = [`${"".padEnd(width)} precision    recall        f1   support`];
  metrics.perClass.forEach((s, c) => {
    lines.push(
      `${names[c].padEnd(width)} ${f(s.precision)} ${f(s.recall)} ${f(s.f1)} ${String(s.support).padStart(9)}`,
    );
  });
  const { macro } = metrics;
  lines.push(
    `${"macro avg".padEnd(width)} ${f(macro.precision)} ${f(macro.recall)} ${f(macro.f1)} ${String(metrics.n).padStart(9)}`,
  );
  lines.push("");
  lines.push(
    `accuracy ${metrics.accuracy.toFixed(4)} (${Math.round(metrics.accuracy * metrics.n)}/${metrics.n})`,
  );
  if (options.logLoss !== undefined) lines.push(`log loss ${options.logLoss.toFixed(4)}`);
  lines.push("");
  lines.push("confusion matrix (rows: actual, columns: predicted)");
  const cell = Math.max(
    5,
    ...names.map((s) => s.length),
    ...metrics.confusion.flat().map((v) => String(v).length),
  );
  lines.push(`${"".padEnd(width)} ${names.map((s) => s.padStart(cell)).join(" ")}`);
  metrics.confusion.forEach((row, a) => {
    lines.push(`${names[a].padEnd(width)} ${row.map((v) => String(v).padStart(cell)).join(" ")}`);
  });
  return `${lines.join("\n")}\n`;
}

/** A readable text report of regression metrics. */
export function regressionReport(metrics: RegressionMetrics): string {
  return [
    `samples ${metrics.n}`,
    `MSE     ${metrics.mse.toPrecision(6)}`,
    `MAE     ${metrics.mae.toPrecision(6)}`,
    `R²      ${metrics.r2.toFixed(4)}`,
    "",
  ].join("\n");
}
