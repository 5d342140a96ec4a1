import { backend, type Storage } from "../backend.ts";
import { matmulBatch } from "../matmul-batch.ts";
import { type Shape, shapeText, sizeOf, stridesOf } from "../shape.ts";
import { dtypeOf, giveGradient, gradFor, noGrad, result, storageFor, Tensor } from "../tensor.ts";
import { addInto } from "./broadcast.ts";
import { transpose } from "./movement.ts";
import { sum } from "./reduce.ts";

// Einstein summation over one, two or more tensors. Two operands are one batched matrix product:
// the letters both share and the output keeps are the batch, those both share and the output
// drops are summed over (the inner dimension), the rest are the rows and the columns. The
// gradient of each operand is again an einsum: for "ij,jk->ik", dA = einsum("ik,jk->ij", g, B).

/**
 * `einsum(spec, ...tensors)` as in PyTorch and NumPy: `spec` names each operand's axes with
 * letters, `->` the output's (without `->`, the letters that appear once, in alphabetical
 * order); letters missing from the output are summed over. Each letter has one size
 * everywhere; a letter repeated within one operand (a diagonal) is not supported. More than two
 * operands are contracted left to right.
 *
 * @example
 * einsum("bhtd,bhsd->bhts", q, k); // attention scores: each query with each key
 * einsum("ij->j", x);              // column sums
 */
export function einsum(spec: string, ...operands: Tensor[]): Tensor {
  const { inputs, output } = parseSpec(spec, operands);
  if (inputs.length === 1) return reduceOne(inputs[0], output, operands[0]);
  let acc = operands[0];
  let accTerm = inputs[0];
  for (let i = 1; i < inputs.length; i++) {
    const last = i === inputs.length - 1;
    // keep the letters still needed by the output or a later operand
    const later = new Set([...output, ...inputs.slice(i + 1).join("")]);
    const keep = last
      ? output
      : [...new Set([...accTerm, ...inputs[i]])].filter((c) => later.has(c)).join("");
    acc = contractTwo(`${accTerm},${inputs[i]}->${keep}`, acc, operands[i]);
    accTerm = keep;
  }
  return acc;
}

function parseSpec(spec: string, operands: readonly Tensor[]): { inputs: string[]; output: string } {
  const text = spec.replace(/\s+/g, "");
  const bad = (why: string): never => {
    throw new RangeError(`einsum "${spec}": ${why}`);
  };
  if (!/^[a-zA-Z,]*(->[a-zA-Z]*)?$/.test(text)) bad("use letters, commas and one '->'");
  const [lhs, rhs] = text.split("->");
  const inputs = lhs.split(",");
  if (inputs.length !== operands.length)
    bad(`${inputs.length} operand(s) in the spec, ${operands.length} tensor(s) given`);
  const sizes = new Map<string, number>();
  const counts = new Map<string, number>();
  inputs.forEach((term, i) => {
    const t = operands[i];
    if (term.length !== t.ndim)
      bad(`operand ${i} "${term}" has ${term.length} letters, its tensor is ${shapeText(t.shape)}`);
    if (new Set(term).size !== term.length)
      bad(`operand ${i} "${term}" repeats a letter (diagonals are not supported)`);
    [...term].forEach((c, axis) => {
      const d = sizes.get(c);
      if (d !== undefined && d !== t.shape[axis])
        bad(`letter ${c} is ${d} in one place and ${t.shape[axis]} in operand ${i} (${shapeText(t.shape)})`);
      sizes.set(c, t.shape[axis]);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    });
  });
  const output =
    rhs ??
    [...counts.keys()]
      .filter((c) => counts.get(c) === 1)
      .sort()
      .join("");
  if (new Set(output).size !== output.length) bad(`the output "${output}" repeats a letter`);
  for (const c of output) if (!sizes.has(c)) bad(`output letter ${c} is in no operand`);
  return { inputs, output };
}

/** One operand: sum the letters the output drops, then put the rest in the output's order. */
function reduceOne(term: string, output: string, x: Tensor): Tensor {
  const drop = [...term].flatMap((c, axis) => (output.includes(c) ? [] : [axis]));
  const summed = drop.length > 0 ? sum(x, { axis: drop }) : x;
  const left = [...term].filter((c) => output.includes(c));
  const perm = [...output].map((c) => left.indexOf(c));
  return perm.every((p, i) => p === i) ? summed : transpose(summed, perm);
}

/** `data` (of `shape`, axes named by `from`) with its axes in the order `to`, or itself. */
function permuted(data: Storage, shape: Shape, from: string, to: string): Storage {
  if (from === to) return data;
  const strides = stridesOf(shape);
  const perm = [...to].map((c) => from.indexOf(c));
  const out = storageFor(dtypeOf(data), data.length);
  backend().gatherStrided(
    data,
    0,
    perm.map((p) => strides[p]),
    perm.map((p) => shape[p]),
    out,
  );
  return out;
}

/** Two operands, as one batched matrix product (after summing letters only one side has). */
function contractTwo(spec: string, x: Tensor, y: Tensor): Tensor {
  const [lhs, output] = spec.split("->");
  let [ta, tb] = lhs.split(",");
  let a = x;
  let b = y;
  // A letter only one operand has and the output drops is summed there first.
  const own = (term: string, other: string): string =>
    [...term].filter((c) => !other.includes(c) && !output.includes(c)).join("");
  const dropA = own(ta, tb);
  if (dropA.length > 0) {
    a = reduceOne(ta, ta.replace(new RegExp(`[${dropA}]`, "g"), ""), a);
    ta = ta.replace(new RegExp(`[${dropA}]`, "g"), "");
  }
  const dropB = own(tb, ta);
  if (dropB.length > 0) {
    b = reduceOne(tb, tb.replace(new RegExp(`[${dropB}]`, "g"), ""), b);
    tb = tb.replace(new RegExp(`[${dropB}]`, "g"), "");
  }
  const size = (c: string): number => (ta.includes(c) ? a.shape[ta.indexOf(c)] : b.shape[tb.indexOf(c)]);
  const batch = [...ta].filter((c) => tb.includes(c) && output.includes(c)).join("");
  const inner = [...ta].filter((c) => tb.includes(c) && !output.includes(c)).join("");
  const rows = [...ta].filter((c) => !tb.includes(c)).join("");
  const cols = [...tb].filter((c) => !ta.includes(c)).join("");
  const count = sizeOf([...batch].map(size));
  const m = sizeOf([...rows].map(size));
  const k = sizeOf([...inner].map(size));
  const n = sizeOf([...cols].map(size));
  // Either layout of each matrix is read in place (the kernel transposes); others are copied.
  const transA = ta === batch + inner + rows && rows !== "" && inner !== "";
  const transB = tb === batch + cols + inner && cols !== "" && inner !== "";
  const ad = transA ? a.storage : permuted(a.storage, a.shape, ta, batch + rows + inner);
  const bd = transB ? b.storage : permuted(b.storage, b.shape, tb, batch + inner + cols);
  const dtype = a.dtype === "float64" || b.dtype === "float64" ? "float64" : "float32";
  const natural = batch + rows + cols;
  const kern = backend();
  let out = storageFor(dtype, count * m * n);
  matmulBatch(kern, ad, bd, out, {
    count,
    aStep: m * k,
    bStep: k * n,
    outStep: m * n,
    m,
    k,
    n,
    transA,
    transB,
    accumulate: false,
  });
  out = permuted(out, [...natural].map(size), natural, output);
  const shape = [...output].map(size);
  return result("einsum", out, shape, [a, b], (g) => {
    const gt = new Tensor(g, shape);
    // the gradient of each operand: the output's gradient contracted with the other operand
    // (a new buffer, which becomes the operand's gradient when it has none yet)
    const push = (t: Tensor, d: () => Tensor): void => {
      if (!t.requiresGrad) return;
      const grad = noGrad(d).storage;
      if (giveGradient(t, grad)) return;
      const into = gradFor(t);
      if (into !== null) addInto(into, grad);
    };
    push(a, () => einsum(`${output},${tb}->${ta}`, gt, b.detach()));
    push(b, () => einsum(`${ta},${output}->${tb}`, a.detach(), gt));
  });
}
