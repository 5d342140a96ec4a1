// The Language model view's worker for the MLP: trains it as `micrograd lm train --arch mlp
// --corpus names` does (Adam, cosine schedule from 0.01, batch 32, 10,000 steps) on the js backend.
import { runNames } from "./lm-run.ts";
import { mlpTraining } from "./lm-setup.ts";

void runNames(mlpTraining, Promise.resolve("js (tensors, float32)"));
