import type { Dataset } from "./dataset.ts";

/**
 * How `parseCsv` reads a file.
 *
 * @example
 * parseCsv(text, { label: "price", task: "regression", delimiter: ";" });
 */
export interface CsvOptions {
  /**
   * The label column, by header name or 0-based index (default: the last column). `null`: the
   * file has no label column (e.g. data to predict).
   */
  readonly label?: string | number | null;
  /** With `label` given by name: a file without that column is fine and gets `y = []` (default false). */
  readonly labelOptional?: boolean;
  /** Feature columns by header name, in the order the model takes them (default: all but the label). */
  readonly features?: readonly string[];
  /** `classification` (default): labels are class names mapped to indices; `regression`: numbers. */
  readonly task?: "classification" | "regression";
  /**
   * Class names in index order (e.g. the ones saved with a model). Without them the classes are
   * the distinct labels of the file, sorted (numerically when they are all numbers).
   */
  readonly classNames?: readonly string[];
  /** Field separator (default `,`). */
  readonly delimiter?: string;
  /** Keep the label column out of the features without reading its values: `y = []` (for prediction). */
  readonly ignoreLabels?: boolean;
  /** Whether the first row names the columns (default true); without, they are named `1`, `2`, … */
  readonly header?: boolean;
}

/**
 * A dataset read from CSV: the features, the labels and the names of both.
 *
 * @example
 * const iris = parseCsv(text, { label: "species" });
 * iris.featureNames; // ["sepal_length", ...]
 * iris.labels;       // ["setosa", "versicolor", "virginica"]
 */
export interface CsvDataset extends Dataset {
  /** Header names of the feature columns, in the order of each row of `x`. */
  readonly featureNames: readonly string[];
  /** Class names by index (empty for regression). */
  readonly labels: readonly string[];
  /** Header name of the label column (undefined when the file has none). */
  readonly labelName?: string;
  /** The file's line number of each sample, for messages about it. */
  readonly lines: readonly number[];
}

/** One parsed record and the line it starts on. */
interface Row {
  readonly line: number;
  readonly fields: string[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a CSV file (a header row, then one sample per row) into numeric features and labels.
 * Fields may be quoted (`"a, b"`, with `""` for a quote); blank lines are skipped. Every problem
 * is reported with its line and column: `csv line 17, column "petal_width": expected a number,
 * got "abc"` — never a NaN that surfaces later in training.
 *
 * @example
 * const iris = parseCsv(text, { label: "species" });
 * iris.labels; // ["setosa", "versicolor", "virginica"]
 */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): CsvDataset {
  const text = typeof input === "string" ? input : decodeUtf8(input);
  const { task = "classification", delimiter = "," } = options;
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new RangeError(
      `csv: the delimiter must be one character other than a quote or newline, got "${delimiter}"`,
    );
  }
  const rows = tokenize(text, delimiter);
  if (rows.length === 0) throw new RangeError("csv: the file is empty (expected a header row)");
  const hasHeader = options.header ?? true;
  const head = hasHeader ? rows[0] : { line: 0, fields: rows[0].fields.map((_, i) => String(i + 1)) };
  const body = hasHeader ? rows.slice(1) : rows;
  const header = head.fields.map((h) => h.trim());
  if (header.length === 1) {
    const other = [";", "\t", "|"].find((d) => d !== delimiter && header[0].includes(d));
    if (other !== undefined) {
      const shown = other === "\t" ? "\\t" : other;
      throw new RangeError(
        `csv line ${head.line}: one column only, but the header holds "${shown}": is the file separated by "${shown}"? Set the delimiter (--delimiter "${shown}")`,
      );
    }
  }
  header.forEach((name, i) => {
    if (name === "") throw new RangeError(`csv line ${head.line}: column ${i + 1} has an empty header name`);
    const first = header.indexOf(name);
    if (first !== i) throw new RangeError(`csv line ${head.line}: column name "${name}" appears twice`);
  });
  if (body.length === 0) throw new RangeError(`csv: no data rows after the header (line ${head.line})`);

  const labelIndex = findLabel(header, options);
  const featureIndices = findFeatures(header, labelIndex, options.features);
  for (const row of body) {
    if (row.fields.length !== header.length) {
      throw new RangeError(
        `csv line ${row.line}: expected ${header.length} columns (as the header), got ${row.fields.length}`,
      );
    }
  }
  const x = body.map((row) =>
    featureIndices.map((c) => {
      const raw = row.fields[c].trim();
      return cellNumber(raw, row.line, header[c]);
    }),
  );
  const featureNames = featureIndices.map((c) => header[c]);
  const lines = body.map((r) => r.line);
  if (labelIndex === undefined || options.ignoreLabels) {
    const labels = options.classNames ?? [];
    return { x, y: [], classes: task === "regression" ? 1 : labels.length, labels, featureNames, lines };
  }
  const labelName = header[labelIndex];
  const rawLabels = body.map((row) => row.fields[labelIndex].trim());
  if (task === "regression") {
    const y = rawLabels.map((raw, i) => {
      return cellNumber(raw, body[i].line, labelName);
    });
    return { x, y, classes: 1, labels: [], featureNames, labelName, lines };
  }
  const labels = options.classNames ?? distinctSorted(rawLabels);
  const index = new Map(labels.map((name, i) => [name, i]));
  const y = rawLabels.map((raw, i) => {
    if (raw === "")
      throw new RangeError(`csv line ${body[i].line}, column "${labelName}": the label is empty`);
    const k = index.get(raw);
    if (k === undefined) {
      throw new RangeError(
        `csv line ${body[i].line}, column "${labelName}": unknown class "${raw}" (known: ${labels.join(", ")})`,
      );
    }
    return k;
  });
  return { x, y, classes: labels.length, labels, featureNames, labelName, lines };
}

/**
 * The header names of a CSV file (its first non-blank row), without reading the rest as numbers.
 *
 * @example
 * csvHeader("sepal_length,sepal_width,species\n5.1,3.5,setosa\n"); // ["sepal_length", "sepal_width", "species"]
 */
export function csvHeader(input: string | Uint8Array, delimiter = ","): string[] {
  const text = typeof input === "string" ? input : decodeUtf8(input);
  const rows = tokenize(text, delimiter);
  if (rows.length === 0) throw new RangeError("csv: the file is empty (expected a header row)");
  return rows[0].fields.map((h) => h.trim());
}

/** A cell's number; text, and numbers past float64's range (1e309), are refused at the cell. */
function cellNumber(raw: string, line: number, column: string): number {
  if (!NUMBER.test(raw)) {
    throw new RangeError(`csv line ${line}, column "${column}": expected a number, got "${raw}"`);
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `csv line ${line}, column "${column}": ${raw} is beyond the largest number (about 1.8e308)`,
    );
  }
  return value;
}

/**
 * Whether a CSV header row looks like data: every field a number. Such a file likely has no
 * header (parse it with `header: false`).
 *
 * @example
 * headerLooksLikeData(["5.1", "3.5", "0"]); // true
 */
export function headerLooksLikeData(header: readonly string[]): boolean {
  return header.length > 0 && header.every((h) => NUMBER.test(h.trim()));
}

function findLabel(header: readonly string[], options: CsvOptions): number | undefined {
  const { label } = options;
  if (label === null) return undefined;
  if (label === undefined) return header.length - 1;
  if (typeof label === "number") {
    if (!Number.isInteger(label) || label < 0 || label >= header.length) {
      throw new RangeError(
        `csv: label column ${label} is outside the ${header.length} columns [0, ${header.length})`,
      );
    }
    return label;
  }
  const i = header.indexOf(label);
  if (i < 0) {
    if (options.labelOptional) return undefined;
    throw new RangeError(`csv: no label column "${label}" (columns: ${header.join(", ")})`);
  }
  return i;
}

function findFeatures(
  header: readonly string[],
  labelIndex: number | undefined,
  names: readonly string[] | undefined,
): number[] {
  if (names === undefined) {
    const all = header.map((_, i) => i).filter((i) => i !== labelIndex);
    if (all.length === 0) throw new RangeError("csv: no feature columns besides the label");
    return all;
  }
  return names.map((name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new RangeError(`csv: missing feature column "${name}" (columns: ${header.join(", ")})`);
    if (i === labelIndex)
      throw new RangeError(`csv: column "${name}" cannot be both a feature and the label`);
    return i;
  });
}

function distinctSorted(values: readonly string[]): string[] {
  const distinct = [...new Set(values)].filter((v) => v !== "");
  const numeric = distinct.every((v) => NUMBER.test(v));
  return numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort();
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RangeError("csv: the file is not valid UTF-8 text");
  }
}

/** Splits text into records of fields (RFC 4180 quoting), skipping blank lines. */
function tokenize(text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = "";
    let blank = true;
    for (;;) {
      if (i >= n) {
        fields.push(field);
        break;
      }
      const ch = text[i];
      if (ch === '"' && field.trim() === "") {
        blank = false;
        const quoteLine = line;
        i++;
        field = "";
        for (;;) {
          if (i >= n) throw new RangeError(`csv line ${quoteLine}: a quoted field is never closed`);
          const q = text[i];
          if (q === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (q === "\n") line++;
          field += q;
          i++;
        }
        // After the closing quote: spaces, then a delimiter or the end of the record.
        while (i < n && (text[i] === " " || text[i] === "\t")) i++;
        if (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") {
          throw new RangeError(`csv line ${line}: unexpected "${text[i]}" after a closing quote`);
        }
        continue;
      }
      if (ch === delimiter) {
        blank = false;
        fields.push(field);
        field = "";
        i++;
        continue;
      }
      if (ch === "\r" || ch === "\n") {
        fields.push(field);
        i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
        line++;
        break;
      }
      if (ch === '"') throw new RangeError(`csv line ${line}: a quote inside an unquoted field`);
      if (ch.trim() !== "") blank = false;
      field += ch;
      i++;
    }
    if (!blank) rows.push({ line: start, fields });
  }
  return rows;
}
