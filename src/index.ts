// The public API: re-exports only. Sections follow the layers of DESIGN.md.

// data
export { type BlobsOptions, blobs } from "./data/blobs.ts";
export { type CirclesOptions, circles } from "./data/circles.ts";
export type { Dataset, GenerateOptions } from "./data/dataset.ts";
export { DATASETS, type DatasetName } from "./data/generate.ts";
export { moons } from "./data/moons.ts";
export { type SpiralOptions, spiral } from "./data/spiral.ts";
export { xor } from "./data/xor.ts";
// engine: scalar autograd
export { CompiledGraph } from "./engine/compile.ts";
export { type GraphNode, nodeId, topologicalOrder } from "./engine/graph.ts";
export { OP_CODE, OPS, type OpName, type OpRule } from "./engine/ops.ts";
export { Rng } from "./engine/random.ts";
export { toValue, Value } from "./engine/value.ts";
// nn: scalar networks, losses, optimisers
export { ACTIVATIONS, type Activation, activate } from "./nn/activation.ts";
export { INITS, type Init, initialWeight } from "./nn/init.ts";
export { Layer } from "./nn/layer.ts";
export {
  BCE,
  batchLoss,
  binaryCrossEntropy,
  HINGE,
  hinge,
  LOSS_NAMES,
  LOSSES,
  type LossDef,
  type LossName,
  l2,
  logSumExp,
  MSE,
  meanOfSamples,
  mse,
  SOFTMAX,
  softmax,
  softmaxCrossEntropy,
} from "./nn/losses.ts";
export { MLP, type MLPOptions } from "./nn/mlp.ts";
export { Module } from "./nn/module.ts";
export { Neuron, type NeuronOptions } from "./nn/neuron.ts";
export { Adam, type AdamOptions } from "./nn/optim/adam.ts";
export {
  type HasParamBlock,
  Optimizer,
  type OptimizerOptions,
  type ParamBlock,
  type Parameter,
} from "./nn/optim/optimizer.ts";
export {
  constant,
  cosine,
  linearDecay,
  SCHEDULES,
  type Schedule,
  type ScheduleName,
  scheduleByName,
  stepDecay,
} from "./nn/optim/schedule.ts";
export { SGD, type SGDOptions } from "./nn/optim/sgd.ts";
export { BigramModel } from "./text/bigram.ts";
// text: tokenizers and the character language model
export { BPETokenizer, type BPETrainOptions, END_OF_WORD } from "./text/bpe-tokenizer.ts";
export { CharTokenizer, type CharTokenizerOptions } from "./text/char-tokenizer.ts";
export { type CorpusSplit, parseCorpus, type SplitOptions, splitCorpus } from "./text/corpus.ts";
export { CorpusVocabulary } from "./text/corpus-vocabulary.ts";
export {
  LANGUAGE_MODEL_FORMAT,
  type LanguageModelBundle,
  type LanguageModelFileJSON,
  languageModelFromJSON,
  languageModelToJSON,
  sampleText,
} from "./text/language-model-file.ts";
export { tokenizerFromJSON } from "./text/load-tokenizer.ts";
export {
  type LanguageModelConfig,
  type LanguageModelJSON,
  type LanguageModelOptions,
  MLPLanguageModel,
} from "./text/mlp-language-model.ts";
export { type SampleOptions, sampleTokens } from "./text/sample.ts";
export {
  type BPETokenizerJSON,
  type CharTokenizerJSON,
  EOS,
  type Tokenizer,
  type TokenizerJSON,
} from "./text/tokenizer.ts";
export {
  type LMEvalInfo,
  type LMStepInfo,
  type LMTrainOptions,
  type LMTrainResult,
  lossPerChar,
  trainLanguageModel,
} from "./text/train-language-model.ts";
export { utf8Decode, utf8Encode } from "./text/utf8.ts";
export { makeWindows, type Windows } from "./text/windows.ts";
// train
export {
  type BatchMode,
  type FitOptions,
  type FitResult,
  fit,
  type OptimizerName,
  type StepInfo,
  type TrainingData,
} from "./train/fit.ts";
export { accuracy } from "./train/metrics.ts";
export { compiledStep, type StepSpec, type TrainingStep, valueStep } from "./train/step.ts";
