// Tensor models train through the same fit loop as the scalar MLP: validation, patience,
// restoring the best weights, checkpoints and resuming, with the same semantics and numbers.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  blobs,
  evaluate,
  evaluateTensor,
  type FitCheckpoint,
  type FitOptions,
  fit,
  fromScalarMLP,
  GPT,
  MLP,
  moons,
  type StepInfo,
  sequenceTensors,
  subset,
  Tensor,
  type TensorModule,
  tensor,
  tensorMLP,
  textSequences,
  trainTestSplit,
} from "../../src/index.ts";

const noisy = blobs({ n: 90, noise: 2.5, seed: 4, classes: 3 });
const split = trainTestSplit(noisy.y, { test: 0.3, seed: 1 });
const train = subset(noisy, split.train);
const val = subset(noisy, split.test);

const weightsOf = (model: TensorModule): number[] => model.parameters().flatMap((p) => Array.from(p.data));

test("tensor fit: patience stops early and the model ends with the best step's weights", () => {
  const model = tensorMLP(2, [32, 32, 3], { seed: 2, dtype: "float64" });
  const seen = new Map<number, number[]>();
  const infos: StepInfo[] = [];
  const result = fit(model, train, {
    optimizer: "adam",
    lr: 0.05,
    steps: 2000,
    validation: val,
    evalEvery: 1,
    patience: 5,
    onStep: (info) => {
      infos.push(info);
      seen.set(info.step, weightsOf(model));
    },
  });
  assert.equal(result.stoppedBy, "patience");
  assert.ok(result.steps < 2000);
  const bestStep = result.bestStep ?? -1;
  assert.ok(bestStep > 0, `best step ${bestStep}`);
  assert.equal(result.steps - bestStep, 5);
  // the weights the model holds are exactly those of the best step
  assert.deepEqual(weightsOf(model), seen.get(bestStep));
  // and they give the reported best validation figures
  const again = evaluateTensor(
    model,
    { x: tensor(val.x, { dtype: "float64" }), y: val.y },
    { loss: "softmax" },
  );
  assert.equal(again.loss, result.valLoss);
  assert.equal(again.accuracy, result.valAccuracy);
  const losses = infos.flatMap((s) => (s.valLoss === undefined ? [] : [s.valLoss]));
  assert.equal(losses.length, result.steps);
  assert.equal(Math.min(...losses), result.valLoss);
  assert.equal(infos.find((s) => s.step === bestStep)?.valLoss, result.valLoss);
});

test("tensor fit: validation changes nothing about training (dropout included), evaluation runs in eval mode", () => {
  const options: FitOptions = { optimizer: "adam", lr: 0.05, steps: 40, batch: 9 };
  const plain = tensorMLP(2, [16, 3], { seed: 3, dropout: 0.3 });
  const without = fit(plain, train, options);
  const checked = tensorMLP(2, [16, 3], { seed: 3, dropout: 0.3 });
  const withVal = fit(checked, train, { ...options, validation: val, evalEvery: 2, restoreBest: false });
  assert.deepEqual(
    withVal.history.map((s) => s.loss),
    without.history.map((s) => s.loss),
  );
  assert.deepEqual(weightsOf(checked), weightsOf(plain));
  assert.equal(withVal.history.filter((s) => s.valLoss !== undefined).length, 20);
  assert.equal(checked.training, true); // evaluation put training mode back
  // the validation loss was measured without dropout: evaluating again gives the last one
  const last = withVal.history[withVal.history.length - 1];
  const x = tensor(val.x);
  assert.equal(evaluateTensor(checked, { x, y: val.y }, { loss: "softmax" }).loss, last.valLoss);
});

test("tensor fit: the same weights in float64 give the scalar MLP's validation losses (1e-12)", () => {
  const data = moons({ n: 80, noise: 0.15, seed: 5 });
  const parts = trainTestSplit(data.y, { test: 0.25, seed: 2 });
  const [tr, va] = [subset(data, parts.train), subset(data, parts.test)];
  for (const loss of ["hinge", "softmax"] as const) {
    const mlp = new MLP(2, [8, loss === "softmax" ? 2 : 1], { activation: "tanh", seed: 6 });
    const twin = fromScalarMLP(mlp, { dtype: "float64" });
    // before training: the two evaluations agree
    const scalar0 = evaluate(mlp, va, { loss });
    const tensor0 = evaluateTensor(twin, { x: tensor(va.x, { dtype: "float64" }), y: va.y }, { loss });
    assert.ok(Math.abs(scalar0.loss - tensor0.loss) <= 1e-12, `${scalar0.loss} vs ${tensor0.loss}`);
    assert.equal(tensor0.accuracy, scalar0.accuracy);
    assert.deepEqual(tensor0.predicted, scalar0.predicted);
    // the same training run on both engines: the same validation record
    const options: FitOptions = { loss, lr: 0.3, steps: 12, batch: 15, validation: va, evalEvery: 3 };
    const a = fit(mlp, tr, options);
    const b = fit(twin, tr, options);
    const valLosses = (r: typeof a): number[] =>
      r.history.flatMap((s) => (s.valLoss === undefined ? [] : [s.valLoss]));
    assert.equal(valLosses(b).length, valLosses(a).length);
    valLosses(a).forEach((v, i) => {
      assert.ok(
        Math.abs(v - valLosses(b)[i]) <= 1e-12,
        `${loss} evaluation ${i}: ${valLosses(b)[i]} vs ${v}`,
      );
    });
    a.history.forEach((s, i) => {
      assert.ok(Math.abs(s.loss - b.history[i].loss) <= 1e-12, `${loss} step ${s.step} loss`);
      assert.equal(b.history[i].accuracy, s.accuracy);
    });
    assert.equal(b.bestStep, a.bestStep);
    assert.ok(Math.abs((b.valLoss ?? 0) - (a.valLoss ?? 1)) <= 1e-12);
    assert.equal(b.valAccuracy, a.valAccuracy);
  }
});

test("tensor fit: resuming from a checkpoint gives the uninterrupted run, dropout and patience included", () => {
  const fresh = (): TensorModule => tensorMLP(2, [16, 16, 3], { seed: 4, dropout: 0.2 });
  const runs: FitOptions[] = [
    { optimizer: "adam", lr: 0.02, batch: 7, steps: 30, validation: val, evalEvery: 4 },
    { optimizer: "adam", lr: 0.05, steps: 300, validation: val, evalEvery: 1, patience: 8 },
    { optimizer: "sgd", lr: 0.1, momentum: 0.9, batch: 5, steps: 20 },
  ];
  for (const options of runs) {
    const whole = fresh();
    const checkpoints: FitCheckpoint[] = [];
    const expected = fit(whole, train, {
      ...options,
      checkpointEvery: 3,
      onCheckpoint: (c) => checkpoints.push(JSON.parse(JSON.stringify(c))),
    });
    assert.ok(checkpoints.length >= 3);
    if (options.patience !== undefined) assert.equal(expected.stoppedBy, "patience");
    assert.equal(checkpoints[0].random?.length, 1); // the dropout layers share one generator
    for (const checkpoint of [checkpoints[0], checkpoints[1], checkpoints.at(-1) as FitCheckpoint]) {
      const resumed = fresh();
      const result = fit(resumed, train, { ...options, resume: checkpoint });
      assert.deepEqual(weightsOf(resumed), weightsOf(whole), `from step ${checkpoint.step}`);
      assert.deepEqual(result.history, expected.history);
      assert.equal(result.stoppedBy, expected.stoppedBy);
      assert.equal(result.bestStep, expected.bestStep);
    }
  }
});

test("tensor fit: validation and resume errors name the problem", () => {
  const model = tensorMLP(2, [4, 3], { seed: 1 });
  assert.throws(() => fit(model, train, { patience: 3 }), /fit: patience needs a validation set/);
  assert.throws(
    () => fit(model, train, { validation: { x: [[1, 2, 3]], y: [0] } }),
    /fit: the validation x is \[1,3\], the training x \[63,2\]: the samples differ in shape/,
  );
  assert.throws(
    () => fit(model, train, { validation: { x: new Tensor(new Float32Array(6), [2, 3]), y: [0, 1] } }),
    /validation x is \[2,3\], the training x \[63,2\]/,
  );
  assert.throws(() => fit(model, train, { validation: { x: [], y: [] } }), /the validation data is empty/);
  assert.throws(
    () => fit(model, train, { validation: { x: [[1, 2]], y: [0, 1] } }),
    /fit: validation 1 samples but 2 labels/,
  );
  assert.throws(
    () => fit(model, train, { validation: { x: [[1, Number.NaN]], y: [0] } }),
    /fit: validation sample 0 has a non-finite feature \(NaN\)/,
  );
  assert.throws(
    () => fit(model, train, { validation: val, evalEvery: 0 }),
    /evalEvery must be a positive integer, got 0/,
  );
  assert.throws(() => fit(model, train, { validation: val, patience: 0 }), /patience must be a positive/);
  const checkpoints: FitCheckpoint[] = [];
  fit(tensorMLP(2, [4, 3], { seed: 1 }), train, { steps: 2, onCheckpoint: (c) => checkpoints.push(c) });
  assert.throws(
    () => fit(tensorMLP(2, [5, 3]), train, { steps: 2, resume: checkpoints[1] }),
    /the checkpoint has 27 weights, the model 33/,
  );
  assert.throws(
    () => fit(tensorMLP(2, [4, 3], { dropout: 0.5 }), train, { steps: 2, resume: checkpoints[1] }),
    /the checkpoint holds 0 random generator states, the model draws from 1/,
  );
  assert.throws(
    () => fit(tensorMLP(2, [4, 3]), train, { steps: 2, resume: checkpoints[1], validation: val }),
    /same validation set/,
  );
});

test("tensor fit: Int32Array targets train and validate exactly as an array of them", () => {
  const rows = textSequences(
    Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 3)) % 11),
    8,
    3,
  );
  const val = textSequences(
    Int32Array.from({ length: 80 }, (_, i) => (i * 5) % 11),
    8,
    8,
  );
  const run = (typed: boolean) => {
    const model = new GPT(
      { vocabSize: 11, block: 8, layers: 1, heads: 2, embd: 8 },
      { seed: 3, dtype: "float64" },
    );
    const seq = (s: typeof rows) =>
      typed ? sequenceTensors(s) : { ...sequenceTensors(s), y: Array.from(s.y) };
    const result = fit(model, seq(rows), {
      loss: "softmax",
      optimizer: "adamw",
      batch: 4,
      steps: 6,
      validation: seq(val),
      evalEvery: 2,
    });
    return { weights: weightsOf(model), history: result.history, valLoss: result.valLoss };
  };
  assert.ok(sequenceTensors(rows).y instanceof Int32Array);
  assert.deepEqual(run(true), run(false));
});
