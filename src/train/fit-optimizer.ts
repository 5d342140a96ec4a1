import { Adam } from "../nn/optim/adam.ts";
import { AdamW } from "../nn/optim/adamw.ts";
import type { Optimizer, Parameter } from "../nn/optim/optimizer.ts";
import { SGD } from "../nn/optim/sgd.ts";
import type { FitOptions } from "./fit.ts";

/** The optimiser `fit` trains `parameters` with, from its `optimizer`, `lr`, `momentum` and `weightDecay` options. */
export function fitOptimizer(options: FitOptions, parameters: readonly Parameter[]): Optimizer {
  const { optimizer = "sgd", momentum, weightDecay } = options;
  switch (optimizer) {
    case "sgd":
      return new SGD(parameters, { lr: options.lr ?? 0.1, momentum, weightDecay });
    case "adam":
      return new Adam(parameters, { lr: options.lr ?? 0.01, weightDecay });
    case "adamw":
      return new AdamW(parameters, { lr: options.lr ?? 0.001, weightDecay, beta2: 0.99 });
    default:
      throw new RangeError(`fit: unknown optimizer "${optimizer as string}" (use sgd, adam or adamw)`);
  }
}
