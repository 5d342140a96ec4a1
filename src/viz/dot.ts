import { type GraphNode, nodeId, topologicalOrder } from "../engine/graph.ts";
import { OPS, type OpName } from "../engine/ops.ts";
import type { Value } from "../engine/value.ts";
import { formatNumber } from "./format-number.ts";
import { FONT_FAMILY } from "./svg.ts";

/**
 * A named part of a graph: every value computed from `from` on the way to `to` (both
 * included), e.g. one neuron: from its weights and bias to its activation.
 *
 * @example
 * const { outputs, groups } = forwardWithGroups(model, [1, -1]);
 * toDot(outputs[0], { groups }); // each group: one neuron, framed
 */
export interface DotGroup {
  /** The group's name, shown on its frame or box. */
  readonly label: string;
  /** Where the group starts (e.g. a neuron's weights and bias). */
  readonly from: readonly Value[];
  /** Where it ends (e.g. the neuron's output). */
  readonly to: Value;
}

/**
 * How `toDot` draws.
 *
 * @example
 * toDot(loss, { maxNodes: 100, digits: 2, rankdir: "TB", title: "one step" });
 */
export interface DotOptions {
  /**
   * Most value nodes drawn (default 250). Beyond it, groups are collapsed into one box each,
   * and if that is still too many, the values farthest from the output are folded into one
   * "more values" note that says what it holds.
   */
  readonly maxNodes?: number;
  /** Decimals of data and grad (default 4, as micrograd). */
  readonly digits?: number;
  /** Layout direction (default `LR`, left to right, as micrograd). */
  readonly rankdir?: "LR" | "TB" | "RL" | "BT";
  /** Parts to frame (or, for large graphs, to collapse), e.g. from `neuronGroups`. */
  readonly groups?: readonly DotGroup[];
  /** `auto` (default): collapse groups only when the graph has more than `maxNodes` values. */
  readonly collapseGroups?: "auto" | "always" | "never";
  /** A caption drawn above the graph. */
  readonly title?: string;
}

interface Unit {
  readonly key: string;
  /** Values the unit stands for. */
  readonly members: readonly GraphNode[];
  /** Keys of the units it takes inputs from, one per input for single values. */
  readonly inputs: readonly string[];
  readonly group?: number;
}

/**
 * The computation graph that produced `root`, in Graphviz DOT: one record per value with its
 * label, data and grad, and an op node between each value and its inputs, like micrograd's
 * `draw_dot`. Render it with Graphviz (`dot -Tsvg`, or @viz-js/viz in Node and browsers).
 *
 * @example
 * const x = new Value(2, "x"), w = new Value(-3, "w");
 * const y = x.mul(w).tanh(); y.backward();
 * toDot(y); // 'digraph G { rankdir=LR; ... n0 [label="{ x | data 2.0000 | grad ... }"] ... }'
 */
export function toDot(root: Value, options: DotOptions = {}): string {
  const { maxNodes = 250, digits = 4, rankdir = "LR", groups = [], collapseGroups = "auto" } = options;
  if (!Number.isInteger(maxNodes) || maxNodes < 1) {
    throw new RangeError(`toDot: maxNodes must be a positive integer, got ${maxNodes}`);
  }
  const nodes = topologicalOrder(root);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const groupOf = groupMembership(byId, groups);
  const collapse = collapseGroups === "always" || (collapseGroups === "auto" && nodes.length > maxNodes);
  const unitKey = (id: number): string => {
    const g = groupOf.get(id);
    return collapse && g !== undefined ? `g${g}` : `n${id}`;
  };
  const units = unitsOf(nodes, unitKey, groupOf);
  const kept = nearest(units, unitKey(nodeId(root)), maxNodes);
  const hidden = [...units.values()].filter((u) => !kept.has(u.key));
  const hiddenValues = hidden.reduce((sum, u) => sum + u.members.length, 0);

  const boxes = [...kept].filter((k) => k.startsWith("g")).length;
  const summary =
    `${nodes.length} values` +
    (boxes > 0 ? `; ${boxes} groups collapsed into one box each` : "") +
    (hiddenValues > 0 ? `; ${hiddenValues} values folded into "more values"` : "");
  const lines: string[] = [`// micrograd-ts toDot: ${summary}`, "digraph G {", `  rankdir=${rankdir};`];
  lines.push(`  graph [fontname="${FONT_FAMILY}"];`);
  lines.push(`  node [fontname="${FONT_FAMILY}", fontsize=11];`);
  lines.push(`  edge [fontname="${FONT_FAMILY}", color="#555555"];`);
  const captions: string[] = [];
  if (options.title) captions.push(options.title);
  if (boxes > 0 || hiddenValues > 0) captions.push(summary);
  if (captions.length > 0) lines.push(`  labelloc=t; label=${quote(captions.join("\n"))};`);

  const framed = new Map<number, string[]>();
  const rootId = nodeId(root);
  for (const unit of units.values()) {
    if (!kept.has(unit.key)) continue;
    if (unit.group !== undefined) {
      lines.push(`  ${groupBox(unit, groups[unit.group], byId, digits)}`);
      const sources = new Set(unit.inputs.map((input) => (kept.has(input) ? input : "more")));
      for (const source of sources) lines.push(`  ${source} -> ${unit.key};`);
      continue;
    }
    const n = unit.members[0];
    const { own, edges } = valueLines(unit, kept, digits, n.id === rootId);
    const g = groupOf.get(n.id);
    if (g !== undefined) framed.set(g, [...(framed.get(g) ?? []), ...own]);
    else for (const line of own) lines.push(`  ${line}`);
    for (const line of edges) lines.push(`  ${line}`);
  }
  for (const [g, body] of framed) {
    lines.push(`  subgraph cluster_${g} {`);
    lines.push(`    label=${quote(groups[g].label)}; style="rounded"; color="#8888aa"; fontcolor="#444466";`);
    for (const line of body) lines.push(`    ${line}`);
    lines.push("  }");
  }
  if (hiddenValues > 0) lines.push(`  ${moreNote(hidden)}`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** The units of the picture: single values, or whole groups when collapsed (`unitKey` says which). */
function unitsOf(
  nodes: readonly GraphNode[],
  unitKey: (id: number) => string,
  groupOf: ReadonlyMap<number, number>,
): Map<string, Unit> {
  const units = new Map<string, Unit>();
  const groupMembers = new Map<number, GraphNode[]>();
  for (const n of nodes) {
    const key = unitKey(n.id);
    const g = groupOf.get(n.id);
    if (key.startsWith("g") && g !== undefined) {
      const list = groupMembers.get(g) ?? [];
      list.push(n);
      groupMembers.set(g, list);
    } else {
      units.set(key, { key, members: [n], inputs: n.inputs.map(unitKey) });
    }
  }
  for (const [g, members] of groupMembers) {
    const key = `g${g}`;
    const inputs = new Set<string>();
    for (const m of members) for (const i of m.inputs) if (unitKey(i) !== key) inputs.add(unitKey(i));
    units.set(key, { key, members, inputs: [...inputs], group: g });
  }
  return units;
}

/** The keys of at most `maxNodes` units nearest the output (breadth first from the root). */
function nearest(units: ReadonlyMap<string, Unit>, rootKey: string, maxNodes: number): Set<string> {
  const kept = new Set<string>([rootKey]);
  const queue = [rootKey];
  for (let q = 0; q < queue.length && kept.size < maxNodes; q++) {
    for (const input of units.get(queue[q])?.inputs ?? []) {
      if (kept.size >= maxNodes) break;
      if (!kept.has(input)) {
        kept.add(input);
        queue.push(input);
      }
    }
  }
  return kept;
}

/** A single value's node and its op node (`own`), and the edges into them (a folded input: from "more"). */
function valueLines(
  unit: Unit,
  kept: ReadonlySet<string>,
  digits: number,
  isRoot: boolean,
): { own: string[]; edges: string[] } {
  const n = unit.members[0];
  const own = [valueNode(n, digits, isRoot)];
  const edges: string[] = [];
  if (n.op !== "leaf") {
    own.push(`${unit.key}_op [label=${quote(opLabel(n))}, shape=ellipse, margin=0.02];`);
    edges.push(`${unit.key}_op -> ${unit.key};`);
    let folded = false;
    for (const input of unit.inputs) {
      if (kept.has(input)) edges.push(`${input} -> ${unit.key}_op;`);
      else if (!folded) {
        edges.push(`more -> ${unit.key}_op;`);
        folded = true;
      }
    }
  }
  return { own, edges };
}

/**
 * Which group (index into `groups`) each value belongs to; the first group wins. Only the
 * values `to` depends on are visited, so a group costs its own size, not the graph's.
 */
function groupMembership(
  byId: ReadonlyMap<number, GraphNode>,
  groups: readonly DotGroup[],
): Map<number, number> {
  const groupOf = new Map<number, number>();
  groups.forEach((group, g) => {
    const from = new Set(group.from.map(nodeId));
    // Needed for `to`: walk its inputs, stopping at `from` (nothing before it can be computed from it).
    const toId = nodeId(group.to);
    const upstream = new Set<number>([toId]);
    const stack = [toId];
    while (stack.length > 0) {
      const id = stack.pop() as number;
      if (from.has(id)) continue;
      for (const i of byId.get(id)?.inputs ?? []) {
        if (!upstream.has(i)) {
          upstream.add(i);
          stack.push(i);
        }
      }
    }
    // Computed from `from`: forward in id order (ids are a topological order).
    const downstream = new Set<number>();
    for (const id of [...upstream].sort((a, b) => a - b)) {
      const n = byId.get(id);
      if (n && (from.has(id) || n.inputs.some((i) => downstream.has(i)))) downstream.add(id);
    }
    for (const id of downstream) if (!groupOf.has(id)) groupOf.set(id, g);
  });
  return groupOf;
}

function valueNode(n: GraphNode, digits: number, isRoot: boolean): string {
  const fields = [n.label, `data ${formatNumber(n.data, digits)}`, `grad ${formatNumber(n.grad, digits)}`];
  const label = `{ ${fields.map(escapeRecord).join(" | ")} }`;
  const fill = isRoot ? "#fde8c8" : n.op === "leaf" && n.label !== "" ? "#dcebfa" : "#ffffff";
  return `n${n.id} [shape=record, style=filled, fillcolor="${fill}", label=${quoteRecord(label)}];`;
}

function opLabel(n: GraphNode): string {
  if (n.op === "pow") return `^${n.exponent ?? "?"}`;
  return OPS[n.op].symbol;
}

function groupBox(unit: Unit, group: DotGroup, byId: Map<number, GraphNode>, digits: number): string {
  const out = byId.get(nodeId(group.to));
  const lines = [group.label, `${unit.members.length} values (${opCounts(unit.members)})`];
  if (out) lines.push(`out: data ${formatNumber(out.data, digits)}, grad ${formatNumber(out.grad, digits)}`);
  return `${unit.key} [shape=box, style="rounded,filled", fillcolor="#eeeef8", label=${quote(lines.join("\n"))}];`;
}

function moreNote(hidden: readonly Unit[]): string {
  const members = hidden.flatMap((u) => u.members);
  const groups = hidden.filter((u) => u.group !== undefined).length;
  const lines = [
    `… ${members.length} more values not drawn`,
    `(${opCounts(members)}${groups > 0 ? `; in ${groups} collapsed groups` : ""})`,
    "raise maxNodes to see them",
  ];
  return `more [shape=note, style=filled, fillcolor="#f4f4f4", label=${quote(lines.join("\n"))}];`;
}

/** `"8 mul, 8 add, 1 tanh"`: how many values of each op, most common first. */
function opCounts(nodes: readonly GraphNode[]): string {
  const counts = new Map<OpName, number>();
  for (const n of nodes) counts.set(n.op, (counts.get(n.op) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([op, c]) => `${c} ${op}`)
    .join(", ");
}

/** Escapes the characters that records give a meaning to. */
function escapeRecord(text: string): string {
  return text.replace(/[\\{}|<>]/g, (c) => `\\${c}`);
}

/** A DOT double-quoted string of plain text; newlines become centred line breaks. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** A DOT double-quoted record label, whose backslashes are already escapes. */
function quoteRecord(label: string): string {
  return `"${label.replace(/"/g, '\\"')}"`;
}
