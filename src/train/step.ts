import { CompiledGraph } from "../engine/compile.ts";
import { tidy } from "../engine/grad-mode.ts";
import { Value } from "../engine/value.ts";
import { type LossDef, l2, meanOfSamples } from "../nn/losses.ts";
import type { MLP } from "../nn/mlp.ts";

/** One training step's result: the loss and the network's outputs for the batch. */
export interface StepResult {
  readonly loss: number;
  readonly outputs: number[][];
}

/**
 * What `fit` runs each step: forward, loss, backward, gradients into `grad`.
 *
 * @example
 * const step: TrainingStep = compiledStep(spec);
 * step.run(params, grad, batchX, batchY).loss;
 */
export interface TrainingStep {
  /** Runs the batch with parameter values `params`; writes d(loss)/d(param) into `grad`. */
  run(
    params: Float64Array,
    grad: Float64Array,
    x: readonly (readonly number[])[],
    targets: readonly number[],
  ): StepResult;
}

/**
 * What a step computes: the model's mean loss over the batch plus an optional L2 penalty.
 *
 * @example
 * const spec: StepSpec = { model, loss: LOSSES.softmax, l2: 0 };
 */
export interface StepSpec {
  /** The network whose parameters are trained. */
  readonly model: MLP;
  /** The loss per sample. */
  readonly loss: LossDef;
  /** L2 penalty weight (0 for none). */
  readonly l2: number;
}

/** Builds the loss graph for a batch out of `Value`s. */
function buildGraph(
  spec: StepSpec,
  x: readonly (readonly Value[])[],
  targets: readonly (readonly Value[])[],
) {
  const outputs = x.map((row) => spec.model.forward(row));
  const dataLoss = meanOfSamples(spec.loss, outputs, targets);
  const total = spec.l2 > 0 ? dataLoss.add(l2(spec.model.parameters(), spec.l2)) : dataLoss;
  return { outputs, total };
}

function encodeTargets(spec: StepSpec, targets: readonly number[]): number[][] {
  const outputs = spec.model.sizes[spec.model.sizes.length - 1];
  return targets.map((t) => spec.loss.encode(t, outputs));
}

/**
 * The readable path: a fresh graph of `Value`s every step, exactly as micrograd trains.
 *
 * @example
 * const step = valueStep({ model, loss: HINGE, l2: 1e-4 }); // a fresh Value graph per call, as micrograd
 */
export function valueStep(spec: StepSpec): TrainingStep {
  const parameters = spec.model.parameters();
  return {
    run(params, grad, x, targets) {
      parameters.forEach((p, i) => {
        p.data = params[i];
        p.grad = 0;
      });
      const inputs = x.map((row) => row.map((v) => new Value(v)));
      const targetValues = encodeTargets(spec, targets).map((row) => row.map((v) => new Value(v)));
      const { outputs, total } = buildGraph(spec, inputs, targetValues);
      total.backward();
      parameters.forEach((p, i) => {
        grad[i] = p.grad;
      });
      return { loss: total.data, outputs: outputs.map((row) => row.map((v) => v.data)) };
    },
  };
}

/**
 * The fast path: the step's graph is recorded once per batch size and replayed over typed
 * arrays (see `CompiledGraph`). Same ops, same order, same numbers as `valueStep`.
 *
 * @example
 * const step = compiledStep({ model, loss: HINGE, l2: 1e-4 });
 * const params = Float64Array.from(model.parameters(), (p) => p.data);
 * const grad = new Float64Array(params.length);
 * const { loss } = step.run(params, grad, data.x, data.y); // grad filled in
 */
export function compiledStep(spec: StepSpec): TrainingStep {
  const parameters = spec.model.parameters();
  const byBatchSize = new Map<number, ReturnType<typeof record>>();

  function record(batchSize: number) {
    // Record apart from the parameters, whose chunk would otherwise keep every recording for good.
    return tidy(() => {
      const nin = spec.model.nin;
      const encodedWidth = encodeTargets(spec, [0])[0].length;
      const inputs = Array.from({ length: batchSize }, () => Array.from({ length: nin }, () => new Value(0)));
      const targets = Array.from({ length: batchSize }, () =>
        Array.from({ length: encodedWidth }, () => new Value(0)),
      );
      const { outputs, total } = buildGraph(spec, inputs, targets);
      const graph = new CompiledGraph(total, [...parameters, ...inputs.flat(), ...targets.flat()]);
      const slots = (rows: Value[][]) => rows.map((row) => row.map((v) => graph.slotOf(v)));
      return { graph, inputSlots: slots(inputs), targetSlots: slots(targets), outputSlots: slots(outputs) };
    });
  }

  return {
    run(params, grad, x, targets) {
      let recorded = byBatchSize.get(x.length);
      if (recorded === undefined) {
        recorded = record(x.length);
        byBatchSize.set(x.length, recorded);
      }
      const { graph, inputSlots, targetSlots, outputSlots } = recorded;
      const data = graph.data;
      data.set(params, 0);
      x.forEach((row, i) => {
        const slots = inputSlots[i];
        for (let j = 0; j < slots.length; j++) data[slots[j]] = row[j];
      });
      encodeTargets(spec, targets).forEach((row, i) => {
        const slots = targetSlots[i];
        for (let j = 0; j < slots.length; j++) data[slots[j]] = row[j];
      });
      const loss = graph.forward();
      graph.backward();
      grad.set(graph.grad.subarray(0, params.length));
      return { loss, outputs: outputSlots.map((slots) => slots.map((s) => data[s])) };
    },
  };
}
