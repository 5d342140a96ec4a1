// Backpropagation, one node at a time: a small expression built with the library's `Value`, its
// nodes in `topologicalOrder`, and a stepper that walks that order backwards, filling in each
// node's gradient by the chain rule with the op's local derivative from the engine's rule table.
import { type GraphNode, OPS, type OpName, type OpRule, topologicalOrder } from "../../src/index.ts";
import { EXAMPLES, leafValues } from "./examples.ts";

const SVG = "http://www.w3.org/2000/svg";
const BOX_W = 128;
const BOX_H = 58;
const COL = 172;
const ROW = 74;

/** How each primitive's local derivative reads, given its inputs a, b and output out. */
const RULE_TEXT = {
  leaf: "",
  add: "∂(a+b)/∂a = ∂(a+b)/∂b = 1",
  mul: "∂(a·b)/∂a = b and ∂(a·b)/∂b = a",
  max: "the larger input gets 1, the other 0",
  pow: "∂(aᵏ)/∂a = k·aᵏ⁻¹",
  exp: "∂exp(a)/∂a = exp(a) = out",
  log: "∂log(a)/∂a = 1/a",
  tanh: "∂tanh(a)/∂a = 1 − out²",
  relu: "∂relu(a)/∂a = 1 if a > 0, else 0",
  sigmoid: "∂σ(a)/∂a = out·(1 − out)",
} as const satisfies Record<OpName, string>;

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(4));

/** The graph of one example and the stepper's state. */
export class BackpropView {
  readonly #graph: HTMLElement;
  readonly #explain: HTMLElement;
  #nodes: GraphNode[] = [];
  #byId = new Map<number, GraphNode>();
  /** Gradients filled in so far, by node id (a node is absent until something reaches it). */
  #grad = new Map<number, number>();
  /** How many nodes (from the end of the order) have been processed. */
  #done = 0;
  /** The gradients `Value.backward()` computes, to check the walk against. */
  #reference = new Map<number, number>();

  constructor(graph: HTMLElement, explain: HTMLElement) {
    this.#graph = graph;
    this.#explain = explain;
  }

  /** Builds an example (leaf values in order, or [] for its defaults) with every gradient unknown. */
  load(name: string, values: readonly number[] = []): void {
    const example = EXAMPLES[name] ?? EXAMPLES.neuron;
    const leaves = leafValues(example, values);
    const root = example.build(leaves);
    this.#nodes = topologicalOrder(root);
    this.#byId = new Map(this.#nodes.map((n) => [n.id, n]));
    // The engine's own backward pass on a second copy gives the answers to check against.
    const check = example.build(leaves);
    check.backward();
    const checked = topologicalOrder(check);
    this.#reference = new Map(this.#nodes.map((n, i) => [n.id, checked[i].grad]));
    this.reset();
  }

  /** Clears the gradients and starts again from the output. */
  reset(): void {
    this.#grad = new Map();
    this.#done = 0;
    this.#explain.replaceChildren();
    this.#draw();
  }

  /** True once every node's gradient is filled in. */
  get finished(): boolean {
    return this.#done >= this.#nodes.length;
  }

  /** Processes the next node in reverse topological order; returns the explanation. */
  step(): string {
    if (this.finished) return "";
    const node = this.#nodes[this.#nodes.length - 1 - this.#done];
    const name = nameOf(node);
    const root = paren(this.#rootName());
    const lines: string[] = [];
    if (isConstant(node)) {
      lines.push(
        `${name} is a constant, not an input or a parameter: its gradient (${fmt(this.#grad.get(node.id) ?? 0)}) is computed like any other, but nothing changes a constant, so it is not used.`,
      );
    } else if (this.#done === 0) {
      this.#grad.set(node.id, 1);
      lines.push(`${name} is the output: ∂${root}/∂${root} = 1.`);
    } else {
      lines.push(
        `Every use of ${name} has passed its gradient back, so ∂${root}/∂${paren(name)} = ${fmt(this.#grad.get(node.id) ?? 0)} is complete.`,
      );
    }
    if (node.op === "leaf") {
      if (!isConstant(node)) lines.push(`${name} is a leaf (an input or a parameter): nothing further back.`);
    } else {
      const g = this.#grad.get(node.id) ?? 0;
      const rule: OpRule = OPS[node.op];
      const [ia, ib] = node.inputs;
      const a = this.#byId.get(ia) as GraphNode;
      const b = ib === undefined ? undefined : this.#byId.get(ib);
      const bValue = b?.data ?? node.exponent ?? 0;
      lines.push(`${name} = ${describeOp(node, a, b)}; ${RULE_TEXT[node.op]}.`);
      const push = (input: GraphNode, local: number): void => {
        const next = (this.#grad.get(input.id) ?? 0) + g * local;
        const target = isConstant(input)
          ? `the constant ${nameOf(input)}'s grad`
          : `${paren(nameOf(input))}.grad`;
        lines.push(`${target} += ${fmt(g)} × ${fmt(local)} → ${fmt(next)}`);
        this.#grad.set(input.id, next);
      };
      push(a, rule.da(a.data, bValue, node.data));
      if (b !== undefined) push(b, rule.db(a.data, b.data, node.data));
    }
    this.#done++;
    if (this.finished) {
      const same = this.#nodes.every(
        (n) => Math.abs((this.#grad.get(n.id) ?? 0) - (this.#reference.get(n.id) ?? 0)) < 1e-12,
      );
      lines.push(
        same
          ? "Done: every gradient matches Value.backward()."
          : "Done, but the gradients differ from Value.backward()!",
      );
    }
    const item = document.createElement("li");
    item.textContent = lines.join("\n");
    this.#explain.append(item);
    this.#explain.scrollTop = this.#explain.scrollHeight;
    this.#draw(node.id);
    return item.textContent;
  }

  #rootName(): string {
    return nameOf(this.#nodes[this.#nodes.length - 1]);
  }

  /** Lays nodes out in columns by depth (longest path from a leaf) and draws them. */
  #draw(current?: number): void {
    const depth = new Map<number, number>();
    for (const n of this.#nodes)
      depth.set(n.id, n.inputs.length === 0 ? 0 : 1 + Math.max(...n.inputs.map((i) => depth.get(i) ?? 0)));
    // Leaves sit just before their first use, so that constants do not crowd the first column.
    for (const n of [...this.#nodes].reverse()) {
      for (const i of n.inputs) {
        const input = this.#byId.get(i);
        if (input?.op === "leaf") depth.set(i, Math.max(depth.get(i) ?? 0, (depth.get(n.id) ?? 1) - 1));
      }
    }
    const columns: GraphNode[][] = [];
    for (const n of this.#nodes) {
      const d = depth.get(n.id) ?? 0;
      columns[d] = [...(columns[d] ?? []), n];
    }
    const tallest = Math.max(...columns.map((c) => c.length));
    const width = COL * (columns.length - 1) + BOX_W + 8;
    const height = ROW * tallest + 8;
    const pos = new Map<number, [number, number]>();
    columns.forEach((col, d) => {
      col.forEach((n, r) => {
        pos.set(n.id, [4 + d * COL, 4 + (height - col.length * ROW) / 2 + r * ROW]);
      });
    });
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", String(width));
    svg.setAttribute("role", "img");
    svg.setAttribute(
      "aria-label",
      `Computation graph of ${this.#rootName()} with data and gradient on every node`,
    );
    for (const n of this.#nodes) {
      const [x2, y2] = pos.get(n.id) as [number, number];
      for (const i of n.inputs) {
        const [x1, y1] = pos.get(i) as [number, number];
        const path = document.createElementNS(SVG, "path");
        const sx = x1 + BOX_W;
        const sy = y1 + BOX_H / 2;
        const ty = y2 + BOX_H / 2;
        path.setAttribute("d", `M${sx},${sy} C${sx + 30},${sy} ${x2 - 30},${ty} ${x2},${ty}`);
        path.classList.add("edge");
        svg.append(path);
      }
    }
    const processed = new Set(this.#nodes.slice(this.#nodes.length - this.#done).map((n) => n.id));
    for (const n of this.#nodes) {
      const [x, y] = pos.get(n.id) as [number, number];
      const g = document.createElementNS(SVG, "g");
      g.setAttribute("transform", `translate(${x},${y})`);
      g.classList.add("node");
      if (processed.has(n.id)) g.classList.add("done");
      if (n.id === current) g.classList.add("current");
      g.dataset.name = nameOf(n);
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("width", String(BOX_W));
      rect.setAttribute("height", String(BOX_H));
      rect.setAttribute("rx", "6");
      g.append(rect);
      const grad = this.#grad.get(n.id);
      const texts: [string, string][] = [
        [
          n.op === "leaf"
            ? nameOf(n)
            : `${nameOf(n)} = ${OPS[n.op].symbol}${n.op === "pow" ? fmt(n.exponent ?? 0) : ""}`,
          "title",
        ],
        [`data ${fmt(n.data)}`, "data"],
        [`grad ${grad === undefined ? "?" : fmt(grad)}`, "grad"],
      ];
      texts.forEach(([text, cls], k) => {
        const t = document.createElementNS(SVG, "text");
        t.setAttribute("x", "8");
        t.setAttribute("y", String(17 + k * 16));
        t.classList.add(cls);
        t.textContent = text;
        g.append(t);
      });
      svg.append(g);
    }
    this.#graph.replaceChildren(svg);
    // On a narrow screen the graph scrolls: keep the node being explained (at first the output) in view.
    const focus = current ?? this.#nodes[this.#nodes.length - 1]?.id;
    const [fx] = pos.get(focus ?? -1) ?? [0];
    const scale = svg.getBoundingClientRect().width / width || 1;
    const view = this.#graph.clientWidth;
    if (view > 0 && view < width * scale) {
      this.#graph.scrollLeft = Math.max(0, (fx + BOX_W / 2) * scale - view / 2);
    }
  }
}

/** True for a leaf without a name: a number written in the expression (like the −1 of `sub`). */
function isConstant(n: GraphNode): boolean {
  return n.op === "leaf" && n.label === "";
}

/** A node's name: its label, its value for a constant (−1 with a real minus), or its op and id. */
function nameOf(n: GraphNode): string {
  if (n.label !== "") return n.label;
  return n.op === "leaf" ? fmt(n.data).replace(/^-/, "−") : `${n.op}#${n.id}`;
}

/** A name in parentheses when it is itself an expression or a negative number ("(p − y)", "(−1)"). */
function paren(name: string): string {
  return /[\s+·^−-]/.test(name) ? `(${name})` : name;
}

function describeOp(n: GraphNode, a: GraphNode, b: GraphNode | undefined): string {
  const an = paren(nameOf(a));
  const bn = b === undefined ? "" : paren(nameOf(b));
  const constant = (x: GraphNode | undefined): string =>
    x !== undefined && isConstant(x) ? `, ${nameOf(x)} a constant` : "";
  switch (n.op) {
    case "add":
      return `${an} + ${bn}${constant(a)}${constant(b)}`;
    case "mul":
      return `${an} · ${bn} (a = ${fmt(a.data)}, b = ${fmt(b?.data ?? 0)}${constant(a)}${constant(b)})`;
    case "max":
      return `max(${an}, ${bn})`;
    case "pow":
      return `${an}^${fmt(n.exponent ?? 0)} (a = ${fmt(a.data)}, k = ${fmt(n.exponent ?? 0)}, a constant)`;
    default:
      return `${n.op}(${an}) (a = ${fmt(a.data)}, out = ${fmt(n.data)})`;
  }
}
