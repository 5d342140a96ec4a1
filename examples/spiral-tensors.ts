// Three interleaved spirals, a tensor network (Linear layers as matrix products) trained with
// softmax cross-entropy, Adam and mini-batches, and evaluated on held-out points.
//
//   node --import tsx examples/spiral-tensors.ts
import { argmax, fit, noGrad, spiral, subset, tensor, tensorMLP, trainTestSplit } from "micrograd-ts";

const data = spiral({ n: 300, classes: 3, noise: 0.1, seed: 1 });
const { train, test } = trainTestSplit(data.y, { test: 0.2, seed: 1 });
const [trainSet, testSet] = [subset(data, train), subset(data, test)];

const model = tensorMLP(2, [32, 32, 3], { seed: 1 });
const result = fit(model, trainSet, { loss: "softmax", optimizer: "adam", lr: 0.02, batch: 32, steps: 600 });
console.log(`training: loss ${result.loss.toFixed(3)} on the last batch, ${result.ms.toFixed(0)} ms`);

model.eval();
const predicted = noGrad(() => argmax(model.forward(tensor(testSet.x))).toArray() as number[]);
const right = predicted.filter((p, i) => p === testSet.y[i]).length;
console.log(`held-out accuracy ${(right / testSet.y.length).toFixed(3)} (${right}/${testSet.y.length})`);
