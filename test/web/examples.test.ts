// The backpropagation view's expressions: the numbers of micrograd's lecture, editable inputs,
// and gradients that agree with central finite differences.
import assert from "node:assert/strict";
import { test } from "node:test";
import { topologicalOrder } from "../../src/index.ts";
import { EXAMPLES, leafValues } from "../../web/src/examples.ts";
import { assertClose } from "../helpers/close.ts";

test("the lecture's numbers: the neuron gives 1/√2, the expression −8", () => {
  assertClose(EXAMPLES.neuron.build(leafValues(EXAMPLES.neuron, [])).data, Math.SQRT1_2, 1e-12);
  assert.equal(EXAMPLES.expression.build(leafValues(EXAMPLES.expression, [])).data, -8);
  assert.equal(EXAMPLES.expression.build(leafValues(EXAMPLES.expression, [3, -3, 10, -2])).data, -2);
});

test("values that do not fit the example fall back to its defaults", () => {
  assert.deepEqual(leafValues(EXAMPLES.expression, [1, 2]), { a: 2, b: -3, c: 10, f: -2 });
});

test("every example's leaf gradients match central finite differences", () => {
  for (const [name, example] of Object.entries(EXAMPLES)) {
    const base = leafValues(example, []);
    const root = example.build(base);
    root.backward();
    const grads = new Map(topologicalOrder(root).map((n) => [n.label, n.grad]));
    for (const [leaf] of example.leaves) {
      const h = 1e-6;
      const up = example.build({ ...base, [leaf]: base[leaf] + h }).data;
      const down = example.build({ ...base, [leaf]: base[leaf] - h }).data;
      assertClose(grads.get(leaf) ?? Number.NaN, (up - down) / (2 * h), 1e-6, `${name}: d/d${leaf}`);
    }
  }
});
