// The Language model view's worker for the GPT (a bundle of its own, so that the MLP's worker
// carries neither the GPT nor the wasm engine): trains it on the wasm backend as the other
// workers start it, or on the js backend where the browser cannot run it (the label says why).
import { gptTraining } from "./lm-gpt-training.ts";
import { runNames } from "./lm-run.ts";
import { startWasm } from "./tensor-engine.ts";

void runNames(
  gptTraining,
  startWasm().catch(
    (e: unknown) => `js (tensors, float32): wasm unavailable (${e instanceof Error ? e.message : e})`,
  ),
);
