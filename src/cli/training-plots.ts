import { join } from "node:path";
import type { Dataset } from "../data/dataset.ts";
import { Value } from "../engine/value.ts";
import { batchLoss, LOSSES, type LossName } from "../nn/losses.ts";
import type { MLP } from "../nn/mlp.ts";
import type { StepInfo } from "../train/fit.ts";
import { accuracy } from "../train/metrics.ts";
import { decisionBoundarySvg } from "../viz/decision-boundary.ts";
import { type CurvePoint, trainingCurvesSvg } from "../viz/training-curves.ts";
import { writePicture } from "./picture-file.ts";

/** What `micrograd train --plots DIR` needs to know about the run. */
export interface TrainingPlotsSetup {
  readonly dir: string;
  readonly model: MLP;
  readonly loss: LossName;
  readonly train: Dataset;
  /** Held-out data from the same distribution, evaluated during training (curves only for training when absent). */
  readonly validation?: Dataset;
  readonly steps: number;
  /** What was trained, for the captions (e.g. `moons, MLP 2-16-16-1 (relu, relu, linear)`). */
  readonly caption: string;
  /** The run's name in the legend (e.g. `sgd, batch full`). */
  readonly runName: string;
  /** Smoothing of the curves (0 for full batch; mini-batch curves are noisy). */
  readonly smoothing: number;
}

/** Records a run's curves (`onStep`), then writes its pictures (`write`). */
export interface TrainingPlots {
  readonly onStep: (info: StepInfo) => void;
  /** Writes the pictures (the boundary only for 2-D inputs) and returns their paths. */
  readonly write: () => Promise<string[]>;
}

// Where a single output's score counts as fully confident, per loss (hinge margins are ±1).
const BOUNDARY = { hinge: [0, 1], mse: [0.5, 0.5], bce: [0, 3], softmax: [0, 1] } as const;

/**
 * Collects training and validation loss and accuracy while `fit` runs (validation at most
 * 100 times per run), then draws the decision boundary on the training data and the curves.
 */
export function trainingPlots(setup: TrainingPlotsSetup): TrainingPlots {
  const { model, validation } = setup;
  const lossDef = LOSSES[setup.loss];
  const every = Math.max(1, Math.ceil(setup.steps / 100));
  const train: CurvePoint[] = [];
  const held: CurvePoint[] = [];
  const evaluate = (step: number): void => {
    if (validation === undefined) return;
    const scores = validation.x.map((x) => model.predict(x));
    const loss = batchLoss(
      lossDef,
      scores.map((o) => o.map((z) => new Value(z))),
      validation.y,
    ).data;
    const predicted = scores.map((o) => lossDef.classify(o));
    held.push({ step, loss, accuracy: accuracy(predicted, validation.y) });
  };
  return {
    onStep: (info) => {
      train.push(info);
      if (info.step % every === 0 || info.step === setup.steps) evaluate(info.step);
    },
    write: async () => {
      const pictures: [string, string][] = [];
      // A boundary needs a plane: drawn for 2-D inputs only.
      if (setup.train.x.every((x) => x.length === 2)) {
        const [threshold, scale] = BOUNDARY[setup.loss];
        const boundary = decisionBoundarySvg((p) => model.predict(p), setup.train, {
          title: setup.caption,
          threshold,
          scale,
        });
        pictures.push(["boundary.svg", boundary], ["boundary.png", boundary]);
      }
      const curves = trainingCurvesSvg([{ name: setup.runName, train, validation: held }], {
        title: validation ? `${setup.caption}; validation: ${validation.x.length} samples` : setup.caption,
        smoothing: setup.smoothing,
      });
      pictures.push(["curves.svg", curves], ["curves.png", curves]);
      const paths: string[] = [];
      for (const [file, svg] of pictures) {
        const path = join(setup.dir, file);
        await writePicture(path, { svg });
        paths.push(path);
      }
      return paths;
    },
  };
}
