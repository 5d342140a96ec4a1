// XOR needs a hidden layer: a network without one stays near chance, one with eight tanh
// neurons gets every point right.
//
//   node --import tsx examples/xor.ts
import { fit, MLP, xor } from "micrograd-ts";

const data = xor({ n: 100, seed: 1 });
for (const [name, sizes] of [
  ["no hidden layer", [1]],
  ["8 tanh neurons ", [8, 1]],
] as const) {
  const model = new MLP(2, sizes, { activation: "tanh" });
  const result = fit(model, data, { loss: "hinge", optimizer: "adam", lr: 0.05, steps: 300 });
  console.log(`${name}: accuracy ${result.accuracy}, loss ${result.loss.toFixed(3)}`);
}
