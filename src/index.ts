// The public API: re-exports only. Sections follow the layers of DESIGN.md.

// data
export { type BlobsOptions, blobs } from "./data/blobs.ts";
export { type CirclesOptions, circles } from "./data/circles.ts";
export { type CsvDataset, type CsvOptions, parseCsv } from "./data/csv.ts";
export type { Dataset, GenerateOptions } from "./data/dataset.ts";
export { DATASETS, type DatasetName } from "./data/generate.ts";
export { moons } from "./data/moons.ts";
export { type SpiralOptions, spiral } from "./data/spiral.ts";
// evaluation, data files, saving and loading (issue 5)
export {
  kFold,
  type LabelledData,
  type SplitIndices,
  type SplitOptions,
  splitIndices,
  subset,
  type ThreeWaySplitIndices,
  trainTestSplit,
  trainValTestSplit,
} from "./data/split.ts";
export { fitStandardizer, type Standardizer, standardize } from "./data/standardize.ts";
export { xor } from "./data/xor.ts";
// engine: scalar autograd
export { CompiledGraph } from "./engine/compile.ts";
export { type GraphNode, nodeId, topologicalOrder } from "./engine/graph.ts";
export { OP_CODE, OPS, type OpName, type OpRule } from "./engine/ops.ts";
export { Rng } from "./engine/random.ts";
export { toValue, Value } from "./engine/value.ts";
export {
  loadModel,
  type MLPArchitecture,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelInfo,
  mlpArchitecture,
  type SavedModel,
  saveModel,
} from "./io/model-json.ts";
export { loadSafetensors, SAFETENSORS_INFO_KEY, saveSafetensors } from "./io/model-safetensors.ts";
export { exportOnnx, type OnnxExportOptions } from "./io/onnx.ts";
export {
  readSafetensors,
  type SafeTensor,
  type SafetensorsDtype,
  type SafetensorsFile,
  type SafetensorsReadOptions,
  writeSafetensors,
} from "./io/safetensors.ts";
export {
  loadMlpStateDict,
  mlpFromStateDict,
  mlpStateDict,
  type NamedTensor,
  type StateDict,
} from "./io/state-dict.ts";
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
export {
  type ClassificationMetrics,
  type ClassScores,
  classificationMetrics,
  confusionMatrix,
  logLoss,
} from "./train/classification-metrics.ts";
export { defaultLoss, type Evaluation, evaluate } from "./train/evaluate.ts";
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
export { type RegressionMetrics, regressionMetrics } from "./train/regression-metrics.ts";
export { classificationReport, regressionReport } from "./train/report.ts";
export { compiledStep, type StepSpec, type TrainingStep, valueStep } from "./train/step.ts";
