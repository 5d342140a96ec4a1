#!/usr/bin/env node
// Regenerates the pictures in docs/img with the project's own commands (run `npm run build`
// first, or use `npm run pictures`). Every input is seeded, so the files come out the same.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import process from "node:process";
import { writePicture } from "../dist/cli/picture-file.js";
import { fit, linearDecay, MLP, moons, trainingCurvesSvg } from "../dist/index.js";

const IMG = "docs/img";
mkdirSync(IMG, { recursive: true });

/** Runs `micrograd ...args` and stops on failure. */
function micrograd(...args) {
  console.log(`micrograd ${args.join(" ")}`);
  const result = spawnSync(process.execPath, ["bin/micrograd.js", ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Computation graphs: micrograd's neuron, one nn Neuron, a whole MLP collapsed by neuron.
micrograd(
  "graph",
  "--expr",
  "tanh(x1*w1 + x2*w2 + b)",
  "--set",
  "x1=2,x2=0,w1=-3,w2=1,b=6.8813735870195432",
  "--out",
  `${IMG}/graph.svg`,
);
micrograd("graph", "--neuron", "--inputs", "3", "--out", `${IMG}/nn-neuron.svg`);
micrograd("graph", "--mlp", "2,16,16,1", "--out", `${IMG}/mlp.svg`);

// Decision boundaries and curves of single runs: micrograd's demo, and a three-class spiral.
micrograd("train", "--plots", `${IMG}/moons`, "--json");
micrograd(
  "train",
  ...["--dataset", "spiral", "--optimizer", "adam", "--lr", "0.02", "--schedule", "constant"],
  ...["--steps", "300", "--plots", `${IMG}/spiral`, "--json"],
);

// Several runs overlaid: full batch, mini-batches of 10 and single samples, same seed and
// model, each with its validation curve on a fresh sample of the same moons.
console.log("batch sizes compared -> docs/img/batch-sizes.svg");
const train = moons({ n: 100, noise: 0.1, seed: 1337 });
const validation = moons({ n: 100, noise: 0.1, seed: 1338 });
const runs = [];
for (const [name, batch] of [
  ["full batch", "full"],
  ["batch of 10", 10],
  ["one sample", "stochastic"],
]) {
  const model = new MLP(2, [16, 16, 1], { seed: 1337 });
  const held = [];
  const result = fit(model, train, {
    loss: "hinge",
    l2: 1e-4,
    lr: linearDecay(0.2, 0.02, 300),
    batch,
    steps: 300,
    onStep: ({ step }) => {
      if (step % 5 !== 0) return;
      let loss = 0;
      let right = 0;
      validation.x.forEach((x, i) => {
        const score = model.predict(x)[0];
        const sign = validation.y[i] === 1 ? 1 : -1;
        loss += Math.max(0, 1 - sign * score);
        if (score > 0 === (validation.y[i] === 1)) right++;
      });
      held.push({ step, loss: loss / validation.x.length, accuracy: right / validation.x.length });
    },
  });
  runs.push({ name, train: result.history, validation: held });
}
const curves = trainingCurvesSvg(runs, {
  title: "moons, MLP 2-16-16-1, SGD 0.2 → 0.02, 300 steps: batch size (training curves smoothed)",
  smoothing: 0.95,
});
await writePicture(`${IMG}/batch-sizes.svg`, { svg: curves });
await writePicture(`${IMG}/batch-sizes.png`, { svg: curves });
