// The public API: re-exports only, grouped by folder (the layers of docs/design/README.md).

// data
export { type BlobsOptions, blobs } from "./data/blobs.ts";
export { type CirclesOptions, circles } from "./data/circles.ts";
export { type CsvDataset, type CsvOptions, csvHeader, headerLooksLikeData, parseCsv } from "./data/csv.ts";
export type { Dataset, GenerateOptions } from "./data/dataset.ts";
export { DATASETS, type DatasetName } from "./data/generate.ts";
export { moons } from "./data/moons.ts";
export { gaussians, plane } from "./data/regression-2d.ts";
export { type SpiralOptions, spiral } from "./data/spiral.ts";
export {
  type DataSplitOptions,
  kFold,
  type LabelledData,
  type SplitIndices,
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
export { isGradEnabled, noGrad, tidy } from "./engine/grad-mode.ts";
export { type GraphNode, nodeId, topologicalOrder } from "./engine/graph.ts";
export { OP_CODE, OPS, type OpName, type OpRule } from "./engine/ops.ts";
export { Rng } from "./engine/random.ts";
export { toValue, Value, weightedSum } from "./engine/value.ts";
export { exportGPTOnnx } from "./io/gpt-onnx.ts";
export {
  type InputScaling,
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
export { loadModuleStateDict, moduleStateDict } from "./io/module-state-dict.ts";
export { exportOnnx, type OnnxExportOptions } from "./io/onnx.ts";
export {
  readSafetensors,
  type SafeTensor,
  type SafetensorsDtype,
  type SafetensorsFile,
  type SafetensorsReadDtype,
  type SafetensorsReadOptions,
  writeSafetensors,
} from "./io/safetensors.ts";
export {
  loadSequential,
  loadSequentialSafetensors,
  type SavedSequential,
  SEQUENTIAL_FORMAT,
  saveSequential,
  saveSequentialSafetensors,
} from "./io/sequential-file.ts";
export { exportSequentialOnnx, type SequentialOnnxOptions } from "./io/sequential-onnx.ts";
export {
  type LayerSpec,
  loadSequentialStateDict,
  sequentialFromLayers,
  sequentialLayers,
  sequentialStateDict,
} from "./io/sequential-state.ts";
export {
  loadMlpStateDict,
  mlpFromStateDict,
  mlpStateDict,
  type NamedTensor,
  type StateDict,
} from "./io/state-dict.ts";
export { scalarTwin } from "./io/tensor-mlp-file.ts";
export { ACTIVATIONS, type Activation, activate, activateNumber } from "./nn/activation.ts";
// nn: scalar networks, losses, optimisers
// nn on tensors
export { ActivationLayer } from "./nn/activation-layer.ts";
export { type AttentionOptions, CausalSelfAttention } from "./nn/attention.ts";
export { BatchNorm, type BatchNormLayerOptions } from "./nn/batch-norm.ts";
export { Conv2d, type Conv2dLayerOptions } from "./nn/conv2d.ts";
export { Dropout } from "./nn/dropout.ts";
export { Embedding } from "./nn/embedding.ts";
export { Flatten, Unflatten } from "./nn/flatten.ts";
export { GPT, type GPTConfig, type GPTInit, type GPTJSON, type GPTOptions } from "./nn/gpt.ts";
export { INITS, type Init, initialWeight } from "./nn/init.ts";
export { Layer } from "./nn/layer.ts";
export { LayerNorm } from "./nn/layer-norm.ts";
export { Linear, type LinearOptions } from "./nn/linear.ts";
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
export { type MnistCnnOptions, mnistCnn } from "./nn/mnist-cnn.ts";
export { Module, type ModuleParameter, namedParametersOf } from "./nn/module.ts";
export { Neuron, type NeuronOptions } from "./nn/neuron.ts";
export { Adam, type AdamOptions } from "./nn/optim/adam.ts";
export { AdamW } from "./nn/optim/adamw.ts";
export { clipGradNorm } from "./nn/optim/clip.ts";
export { clipGradNormOnDevice, gradsOnDevice } from "./nn/optim/clip-device.ts";
export type { OptimizerState } from "./nn/optim/optimizer.ts";
export {
  type HasParameters,
  Optimizer,
  type OptimizerOptions,
  type Parameters,
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
  warmupCosine,
} from "./nn/optim/schedule.ts";
export { SGD, type SGDOptions } from "./nn/optim/sgd.ts";
export {
  blockOf,
  type HasParamBlock,
  type ParamBlock,
  type Parameter,
  zeroGrads,
} from "./nn/parameter.ts";
export { AvgPool2d, MaxPool2d } from "./nn/pool-layer.ts";
export { RandomShift } from "./nn/random-shift.ts";
export { Sequential } from "./nn/sequential.ts";
export { tensorL2, tensorLoss } from "./nn/tensor-losses.ts";
export { fromScalarMLP, type TensorMLPOptions, tensorMLP } from "./nn/tensor-mlp.ts";
export { TensorModule } from "./nn/tensor-module.ts";
export { Block, TransformerMLP } from "./nn/transformer-block.ts";
// wasm backend (types only: the backend itself loads on `await init("wasm")`)
export type { InitOptions } from "./tensor/backend.ts";
// tensor: n-dimensional arrays with autograd
export {
  type Backend,
  type BackendName,
  type BinaryKernel,
  backend,
  type ConvGeometry,
  type Data,
  type DeviceArray,
  type FusedKernels,
  init,
  isHost,
  type MatmulBatch,
  type ReduceKernel,
  type Storage,
  setBackend,
  type UnaryKernel,
} from "./tensor/backend.ts";
export { jsBackend } from "./tensor/backends/js.ts";
export type { WasmBackend, WasmBackendOptions } from "./tensor/backends/wasm/wasm-backend.ts";
export type { WorkerFactory, WorkerLike } from "./tensor/backends/wasm/worker-protocol.ts";
export type { Gpu } from "./tensor/backends/webgpu/gpu-types.ts";
export type { GpuMemory, WebGpuBackend, WebGpuOptions } from "./tensor/backends/webgpu/webgpu-backend.ts";
export {
  arange,
  type CreateOptions,
  full,
  type NestedNumbers,
  ones,
  type RandomOptions,
  rand,
  randn,
  tensor,
  zeros,
} from "./tensor/create.ts";
export type { ElementwiseArrays, ElementwiseExpr, ElementwiseInput } from "./tensor/elementwise-expr.ts";
export { type BatchNormOptions, batchNorm } from "./tensor/ops/batch-norm.ts";
export { type Conv2dOptions, conv2d, im2col, type Size2 } from "./tensor/ops/conv.ts";
export { einsum } from "./tensor/ops/einsum.ts";
export {
  abs,
  add,
  div,
  eq,
  exp,
  ge,
  gt,
  le,
  log,
  lt,
  mul,
  ne,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  sub,
  type TensorLike,
  tanh,
} from "./tensor/ops/elementwise.ts";
export { gelu } from "./tensor/ops/gelu.ts";
export { layerNorm } from "./tensor/ops/layer-norm.ts";
export { type CrossEntropyOptions, crossEntropy, meanSquaredError } from "./tensor/ops/loss.ts";
export { causalMask, maskedFill } from "./tensor/ops/mask.ts";
export { matmul } from "./tensor/ops/matmul.ts";
export {
  concat,
  flatten,
  gather,
  type Indices,
  indexSelect,
  reshape,
  type SliceRange,
  slice,
  transpose,
} from "./tensor/ops/movement.ts";
export { avgPool2d, maxPool2d } from "./tensor/ops/pool.ts";
export { argmax, max, mean, type ReduceOptions, sum } from "./tensor/ops/reduce.ts";
export { logSoftmax, softmaxTensor } from "./tensor/ops/softmax.ts";
export { broadcastShapes, type Shape, shapeText, sizeOf, stridesOf } from "./tensor/shape.ts";
export { type BackwardFn, type DType, Tensor, toHost } from "./tensor/tensor.ts";
export { BigramModel } from "./text/bigram.ts";
// text: tokenizers and the character language model
export { BPETokenizer, type BPETrainOptions, END_OF_WORD } from "./text/bpe-tokenizer.ts";
export { CharTokenizer, type CharTokenizerOptions } from "./text/char-tokenizer.ts";
export {
  type CorpusSplit,
  parseCorpus,
  type SplitOptions as CorpusSplitOptions,
  splitCorpus,
  uniqueExamples,
} from "./text/corpus.ts";
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
export { lossPerChar } from "./text/loss-per-char.ts";
export {
  type LanguageModelConfig,
  type LanguageModelJSON,
  type LanguageModelOptions,
  MLPLanguageModel,
} from "./text/mlp-language-model.ts";
export { type SampleOptions, sampleTokens } from "./text/sample.ts";
export {
  exampleSequences,
  type Sequences,
  sequenceLossPerChar,
  sequenceTensors,
  textSequences,
} from "./text/sequences.ts";
export {
  type BPETokenizerJSON,
  type CharTokenizerJSON,
  EOS,
  type Tokenizer,
  type TokenizerJSON,
} from "./text/tokenizer.ts";
export { utf8Decode, utf8Encode } from "./text/utf8.ts";
export { makeWindows, textWindows, type Windows, windowTensors } from "./text/windows.ts";
export { batchOrder } from "./train/batch-order.ts";
export {
  type ClassificationMetrics,
  type ClassScores,
  classificationMetrics,
  confusionMatrix,
  logLoss,
} from "./train/classification-metrics.ts";
export { defaultLoss, type Evaluation, evaluate } from "./train/evaluate.ts";
// tensor models in fit: validation, patience, checkpoints
export { evaluateTensor, evaluateTensorAsync, type TensorEvaluation } from "./train/evaluate-tensor.ts";
export type { FitCheckpoint, ValidationState } from "./train/fit.ts";
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
export { type AsyncFitOptions, fitAsync } from "./train/fit-async.ts";
export { batchSizeOf } from "./train/fit-loop.ts";
export { fitTensor, rowsOf, type TensorTrainingData } from "./train/fit-tensor.ts";
export type { Labels } from "./train/labels.ts";
export { accuracy } from "./train/metrics.ts";
export { type RegressionMetrics, regressionMetrics } from "./train/regression-metrics.ts";
export { classificationReport, regressionReport } from "./train/report.ts";
export { compiledStep, type StepSpec, type TrainingStep, valueStep } from "./train/step.ts";
export { attentionSvg } from "./viz/attention-picture.ts";
// viz: pictures as strings (DOT for graphs, SVG for plots) and the expression parser
export { convFiltersSvg, featureMapsSvg } from "./viz/conv-pictures.ts";
export {
  type ClassConfidence,
  classConfidence,
  type DecisionBoundaryOptions,
  decisionBoundarySvg,
  type LabelledPoints,
} from "./viz/decision-boundary.ts";
export { type DotGroup, type DotOptions, toDot } from "./viz/dot.ts";
export {
  type BuiltExpression,
  buildExpression,
  type Expr,
  ExpressionError,
  expressionVariables,
  FUNCTIONS,
  type FunctionName,
  MAX_EXPRESSION_DEPTH,
  parseExpression,
} from "./viz/expression.ts";
export { forwardWithGroups, type GroupedForward } from "./viz/neuron-groups.ts";
export { PALETTE } from "./viz/svg.ts";
export {
  type CurvePoint,
  type CurveRun,
  type TrainingCurvesOptions,
  trainingCurvesSvg,
} from "./viz/training-curves.ts";
