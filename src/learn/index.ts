// The learner's engine, `micrograd-ts/learn`: micrograd's Value and nn in two short files, the
// oracle the fast engine (`micrograd-ts`) is tested against. Re-exports only.
export { Layer, type LearnActivation, MLP, Neuron } from "./nn.ts";
export { type LearnOpName, topologicalOrder, toValue, Value } from "./value.ts";
