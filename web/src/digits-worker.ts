// The Digits view's worker: loads the shipped digits, starts the wasm backend (or, where the
// browser cannot run it, stays on the js backend and says why), and trains the chosen network
// with the library's `fit` (Adam, cosine schedule, the test digits evaluated about twice an
// epoch), posting progress and a copy of the weights about every 200 ms so that the page reads
// drawings with the latest model. The page stops a run by ending the worker.
import { fit, init, sequentialStateDict } from "../../src/index.ts";
import { fetchDigits } from "./digits-data.ts";
import type { DigitsStart, FromDigitsWorker } from "./digits-protocol.ts";
import { digitsNetwork, digitsSplit, digitsTraining } from "./digits-setup.ts";
import { startWasm } from "./tensor-engine.ts";

const scope = self as unknown as {
  postMessage(message: FromDigitsWorker): void;
  onmessage: ((event: MessageEvent<DigitsStart>) => void) | null;
};

/** Starts the wasm backend as the 2-D view's worker does; returns what the tensors run on. */
async function startBackend(): Promise<string> {
  try {
    return await startWasm();
  } catch (error) {
    await init("js");
    const why =
      typeof WebAssembly === "undefined"
        ? "this browser runs no WebAssembly"
        : error instanceof Error
          ? error.message
          : String(error);
    return `js (tensors, float32): wasm unavailable (${why})`;
  }
}

async function train({ arch, url }: DigitsStart): Promise<void> {
  const [digits, engine] = await Promise.all([fetchDigits(url), startBackend()]);
  const { train, test, mean, std } = digitsSplit(digits);
  const { model, describe } = digitsNetwork(arch);
  const training = digitsTraining(arch, train, test);
  const { steps } = training;
  scope.postMessage({
    type: "ready",
    train: train.y.length,
    test: test.y.length,
    describe,
    parameters: model.parameterCount(),
    steps,
    engine,
    mean,
    std,
  });
  const start = performance.now();
  let last = start;
  let loss = 0;
  let accuracy = 0;
  let count = 0;
  let testAccuracy: number | undefined;
  const post = (step: number): void => {
    scope.postMessage({
      type: "progress",
      step,
      steps,
      loss: loss / count,
      accuracy: accuracy / count,
      ...(testAccuracy !== undefined && { testAccuracy }),
      msPerStep: (performance.now() - start) / step,
      weights: sequentialStateDict(model),
      done: step === steps,
    });
    [loss, accuracy, count, testAccuracy] = [0, 0, 0, undefined];
    last = performance.now();
  };
  fit(model, train, {
    ...training,
    onStep: (info) => {
      loss += info.loss;
      accuracy += info.accuracy;
      count++;
      if (info.valAccuracy !== undefined) testAccuracy = info.valAccuracy;
      if (info.step === steps || info.valAccuracy !== undefined || performance.now() - last > 200)
        post(info.step);
    },
  });
}

scope.onmessage = (event) => {
  train(event.data).catch((error) =>
    scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
};
