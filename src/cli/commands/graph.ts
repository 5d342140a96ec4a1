import { Rng } from "../../engine/random.ts";
import { Value } from "../../engine/value.ts";
import { ACTIVATIONS, type Activation } from "../../nn/activation.ts";
import { MLP } from "../../nn/mlp.ts";
import { Neuron } from "../../nn/neuron.ts";
import { type DotGroup, toDot } from "../../viz/dot.ts";
import {
  buildExpression,
  ExpressionError,
  expressionVariables,
  parseExpression,
} from "../../viz/expression.ts";
import { forwardWithGroups } from "../../viz/neuron-groups.ts";
import { choiceFlag, commandFlags, type FlagTable, type FlagValues, numberFlag } from "../flags.ts";
import { type CliIO, UsageError } from "../io.ts";
import { mlpSummaryDot } from "../mlp-summary.ts";
import { pictureFormat, writePicture } from "../picture-file.ts";
import { MAX_GRAPH_VALUES, mlpParameterCount } from "../size-limits.ts";

const FLAGS: FlagTable = {
  expr: {
    type: "string",
    value: "EXPR",
    help: 'an expression, e.g. "tanh(x1*w1 + x2*w2 + b)" (nested at most 500 levels deep)',
  },
  set: { type: "string", value: "a=1,b=2", help: "values of the expression's variables" },
  neuron: { type: "boolean", help: "draw one neuron: activation(w·x + b)" },
  mlp: { type: "string", value: "N,N,...", help: "draw a whole MLP, e.g. 2,4,4,1 (inputs first)" },
  inputs: { type: "string", default: "2", value: "N", help: "inputs of --neuron" },
  activation: {
    type: "string",
    default: "tanh",
    value: ACTIVATIONS.join("|"),
    help: "activation of --neuron and --mlp",
  },
  seed: { type: "string", default: "1337", value: "N", help: "seed of the weights and inputs" },
  "max-nodes": {
    type: "string",
    default: "250",
    value: "N",
    help: "values drawn before collapsing (an MLP with more neurons is drawn by layer)",
  },
  title: { type: "string", value: "TEXT", help: "caption above the graph" },
  out: {
    type: "string",
    short: "o",
    value: "FILE",
    help: "write .svg, .png or .dot (default: DOT on stdout)",
  },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const DESCRIPTION = `Draw a computation graph like micrograd's draw_dot: each value with its data and grad
(after backward), and the op that made it.

Examples:
  micrograd graph --expr "tanh(x1*w1 + x2*w2 + b)" --set x1=2,x2=0,w1=-3,w2=1,b=6.88 --out graph.svg
  micrograd graph --neuron --inputs 3 --out neuron.png
  micrograd graph --mlp 2,4,4,1 --out mlp.svg`;

/** Draws the graph of an expression, a neuron or an MLP after backward. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const values = commandFlags(
    FLAGS,
    argv,
    io,
    "micrograd graph (--expr EXPR [--set ...] | --neuron | --mlp N,N,...) [options]",
    DESCRIPTION,
  );
  if (values === undefined) return 0;
  const out = typeof values.out === "string" ? values.out : undefined;
  if (out !== undefined) pictureFormat(out);
  const modes = ["expr", "neuron", "mlp"].filter((m) => values[m] !== undefined && values[m] !== false);
  if (modes.length !== 1) {
    throw new UsageError(
      modes.length === 0
        ? "say what to draw: --expr, --neuron or --mlp"
        : `choose one of --${modes.join(", --")}`,
    );
  }
  const maxNodes = numberFlag(
    values,
    "max-nodes",
    (n) => Number.isInteger(n) && n >= 1,
    "a positive integer",
  );
  const summary = modes[0] === "mlp" ? bigMlpSummary(values, maxNodes) : undefined;
  let dot: string;
  if (summary !== undefined) dot = summary;
  else {
    const { root, groups, title } =
      modes[0] === "expr" ? expressionGraph(values) : networkGraph(values, modes[0]);
    root.backward();
    dot = toDot(root, {
      groups,
      maxNodes,
      title: typeof values.title === "string" ? values.title : title,
    });
  }
  if (out === undefined) {
    io.out(dot);
    return 0;
  }
  const bytes = await writePicture(out, { dot });
  const drawn = /^\/\/ micrograd-ts toDot: (.*)$/m.exec(dot)?.[1] ?? "";
  io.out(`wrote ${out} (${drawn}; ${(bytes / 1024).toFixed(1)} KiB)\n`);
  return 0;
}

interface GraphToDraw {
  readonly root: Value;
  readonly groups: DotGroup[];
  readonly title?: string;
}

function expressionGraph(values: FlagValues): GraphToDraw {
  const source = String(values.expr);
  const assigned = parseAssignments(values.set);
  try {
    const expr = parseExpression(source);
    const names = expressionVariables(expr);
    for (const name of Object.keys(assigned)) {
      if (!names.includes(name)) {
        throw new UsageError(
          `--set: "${name}" is not in the expression (its variables: ${names.join(", ") || "none"})`,
        );
      }
    }
    return { root: buildExpression(expr, assigned).output, groups: [] };
  } catch (error) {
    if (error instanceof ExpressionError) {
      throw new UsageError(`${error.message}\n  ${source}\n  ${" ".repeat(error.column - 1)}^`);
    }
    throw error;
  }
}

/** `x1=2,w1=-3` as a record; a malformed pair is a usage error. */
function parseAssignments(raw: string | boolean | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  if (raw === undefined || raw === false || String(raw).trim() === "") return result;
  for (const pair of String(raw).split(",")) {
    const m = /^\s*([A-Za-z_][A-Za-z_0-9]*)\s*=\s*(\S+)\s*$/.exec(pair);
    const n = m ? Number(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(n)) {
      throw new UsageError(`--set: expected name=number pairs like x1=2,w1=-3, got "${pair}"`);
    }
    result[m[1]] = n;
  }
  return result;
}

/** `--mlp` sizes, checked. */
function mlpSizes(values: FlagValues): number[] {
  const raw = String(values.mlp);
  const sizes = raw.split(",").map((s) => Number(s.trim()));
  if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new UsageError(`--mlp: expected the input size then layer sizes, like 2,4,4,1, got "${raw}"`);
  }
  if (sizes.length > 100) throw new UsageError(`--mlp: at most 100 layers, got ${sizes.length}`);
  return sizes;
}

/**
 * A network with more neurons and inputs than `--max-nodes` cannot be drawn even with one box per
 * neuron: it is summarised layer by layer, without building its graph. One whose whole graph
 * would be too large to build is refused (raising --max-nodes cannot draw it).
 */
function bigMlpSummary(values: FlagValues, maxNodes: number): string | undefined {
  const sizes = mlpSizes(values);
  const units = sizes.reduce((sum, n) => sum + n, 0);
  if (units <= maxNodes) {
    // about three values per weight: the weight, its product with the input, the running sum
    const graphValues = 3 * mlpParameterCount(sizes) + units;
    if (graphValues > MAX_GRAPH_VALUES) {
      throw new UsageError(
        `--mlp ${sizes.join(",")}: its graph has about ${graphValues.toLocaleString("en")} values, more than the ${MAX_GRAPH_VALUES.toLocaleString("en")} graph draws; lower --max-nodes below ${units} to draw a summary by layer`,
      );
    }
    return undefined;
  }
  const activation = choiceFlag(values, "activation", ACTIVATIONS);
  const why = `${units.toLocaleString("en")} neurons and inputs: more than --max-nodes ${maxNodes}, drawn by layer`;
  return mlpSummaryDot(sizes, activation, why, typeof values.title === "string" ? values.title : undefined);
}

/** One neuron, or an MLP with one group per neuron; inputs drawn from the seed. */
function networkGraph(values: FlagValues, mode: string): GraphToDraw {
  const activation = choiceFlag(values, "activation", ACTIVATIONS) as Activation;
  const seed = numberFlag(values, "seed", Number.isInteger, "an integer");
  const rng = new Rng(seed);
  const inputsOf = (n: number): Value[] =>
    Array.from({ length: n }, (_, i) => new Value(Math.round(rng.uniform(-2, 2) * 100) / 100, `x${i + 1}`));
  if (mode === "neuron") {
    const nin = numberFlag(
      values,
      "inputs",
      (n) => Number.isInteger(n) && n >= 1 && n <= 64,
      "an integer in 1..64",
    );
    const neuron = new Neuron(nin, { activation, rng });
    neuron.w.forEach((w, i) => {
      w.label = `w${i + 1}`;
    });
    neuron.b.label = "b";
    const x = inputsOf(nin);
    const out = neuron.forward(x);
    out.label = "out";
    return {
      root: out,
      groups: [{ label: `neuron: ${activation}(w·x + b)`, from: neuron.parameters(), to: out }],
    };
  }
  const sizes = mlpSizes(values);
  const model = new MLP(sizes[0], sizes.slice(1), { activation, rng });
  const { outputs, groups } = forwardWithGroups(model, inputsOf(sizes[0]));
  // Several outputs: draw their sum, so that one backward reaches every neuron.
  const root = outputs.length === 1 ? outputs[0] : outputs.reduce((a, b) => a.add(b));
  root.label = outputs.length === 1 ? "out" : "sum of outputs";
  return { root, groups, title: model.describe() };
}
