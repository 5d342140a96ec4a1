// Losses, MLPs, optimisers and fit against PyTorch (test/golden/*.json, from scripts/golden.py),
// to 1e-9: values, gradients, and parameters after each of a few training steps.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Activation,
  Adam,
  batchLoss,
  fit,
  LOSSES,
  type LossName,
  l2,
  MLP,
  SGD,
  Value,
} from "../../src/index.ts";
import { assertAllClose, assertClose } from "../helpers/close.ts";
import { golden } from "../helpers/golden.ts";

interface LossCase {
  loss: LossName | "l2";
  outputs: number[][];
  targets: number[];
  params: number[];
  alpha: number;
  value: number;
  grad: number[][] | number[];
}

test("losses: value and gradient on a small batch match PyTorch", () => {
  const { cases } = golden<{ cases: LossCase[] }>("losses.json");
  const names = new Set<string>();
  for (const c of cases) {
    names.add(c.loss);
    if (c.loss === "l2") {
      const params = c.params.map((p) => new Value(p));
      const value = l2(params, c.alpha);
      value.backward();
      assertClose(value.data, c.value, 1e-9, "l2 value");
      assertAllClose(
        params.map((p) => p.grad),
        c.grad as number[],
        1e-9,
        "l2 gradient",
      );
      continue;
    }
    const outputs = c.outputs.map((row) => row.map((o) => new Value(o)));
    const value = batchLoss(LOSSES[c.loss], outputs, c.targets);
    value.backward();
    const where = `${c.loss} on ${JSON.stringify(c.outputs)}`;
    assertClose(value.data, c.value, 1e-9, `${where}: value`);
    assertAllClose(
      outputs.flat().map((o) => o.grad),
      (c.grad as number[][]).flat(),
      1e-9,
      `${where}: gradient`,
    );
  }
  assert.deepEqual([...names].sort(), ["bce", "hinge", "l2", "mse", "softmax"]);
});

interface Training {
  optimizer: "sgd" | "adam";
  lr: number;
  momentum?: number;
  weightDecay: number;
  l2: number;
  steps: number;
  losses: number[];
  params: number[][];
}
interface Network {
  name: string;
  nin: number;
  sizes: number[];
  activations: Activation[];
  loss: LossName;
  layers: { w: number[][]; b: number[] }[];
  x: number[][];
  y: number[];
  outputs: number[][];
  lossValue: number;
  grads: number[];
  training: Training[];
}

const { networks } = golden<{ networks: Network[] }>("mlp.json");

/** An MLP with the fixture's weights. */
function build(net: Network): MLP {
  const model = new MLP(net.nin, net.sizes, { activation: net.activations });
  net.layers.forEach((layer, l) => {
    model.layers[l].neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, i) => {
        w.data = layer.w[j][i];
      });
      neuron.b.data = layer.b[j];
    });
  });
  return model;
}

for (const net of networks) {
  test(`MLP ${net.name}: forward, loss and every parameter's gradient match PyTorch`, () => {
    const model = build(net);
    const outputs = net.x.map((row) => model.forward(row));
    assertAllClose(
      outputs.flat().map((o) => o.data),
      net.outputs.flat(),
      1e-9,
      "outputs",
    );
    const loss = batchLoss(LOSSES[net.loss], outputs, net.y);
    loss.backward();
    assertClose(loss.data, net.lossValue, 1e-9, "loss");
    assertAllClose(
      model.parameters().map((p) => p.grad),
      net.grads,
      1e-9,
      "parameter gradients",
    );
  });

  for (const t of net.training) {
    for (const engine of ["compiled", "value"] as const) {
      const what = `${t.optimizer} lr ${t.lr} momentum ${t.momentum ?? "-"} wd ${t.weightDecay} l2 ${t.l2}`;
      test(`fit ${net.name}, ${what} (${engine}): losses and parameters after each step match PyTorch`, () => {
        const model = build(net);
        const seen: number[][] = [];
        const result = fit(
          model,
          { x: net.x, y: net.y },
          {
            loss: net.loss,
            optimizer: t.optimizer,
            lr: t.lr,
            momentum: t.momentum,
            weightDecay: t.weightDecay,
            l2: t.l2,
            steps: t.steps,
            engine,
            onStep: () => seen.push(model.parameters().map((p) => p.data)),
          },
        );
        assertAllClose(
          result.history.map((h) => h.loss),
          t.losses,
          1e-9,
          "loss history",
        );
        assert.equal(seen.length, t.steps);
        seen.forEach((params, k) => {
          assertAllClose(params, t.params[k], 1e-9, `parameters after step ${k + 1}`);
        });
      });
    }
  }
}

interface OptimCase {
  optimizer: "sgd" | "adam";
  lr: number[];
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay: number;
  start: number[];
  params: number[][];
}

test("SGD (momentum, weight decay) and Adam on scalar Values, with a per-step lr, match PyTorch", () => {
  const { cases } = golden<{ cases: OptimCase[] }>("optim.json");
  for (const c of cases) {
    const [x, y] = c.start.map((v) => new Value(v));
    const lr = (step: number): number => c.lr[step];
    const opt =
      c.optimizer === "sgd"
        ? new SGD([x, y], { lr, momentum: c.momentum, weightDecay: c.weightDecay })
        : new Adam([x, y], { lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay });
    c.params.forEach((expected, k) => {
      opt.zeroGrad();
      // Rosenbrock: (1 - x)² + 100 (y - x²)²
      const f = new Value(1)
        .sub(x)
        .pow(2)
        .add(y.sub(x.mul(x)).pow(2).mul(100));
      f.backward();
      opt.step();
      assertAllClose(
        [x.data, y.data],
        expected,
        1e-9,
        `${c.optimizer} ${JSON.stringify(c.lr)} step ${k + 1}`,
      );
    });
  }
});
