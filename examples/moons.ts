// micrograd's demo: a 2-16-16-1 network trained on 100 "moons" points with hinge loss, L2 and a
// decaying learning rate, then its decision boundary drawn as an SVG.
//
//   node --import tsx examples/moons.ts [output.svg]     (default: moons.svg)
import { writeFileSync } from "node:fs";
import { decisionBoundarySvg, fit, linearDecay, MLP, moons } from "micrograd-ts";

const out = process.argv[2] ?? "moons.svg";
const data = moons({ n: 100, noise: 0.1, seed: 1337 });
const model = new MLP(2, [16, 16, 1]);
const result = fit(model, data, {
  loss: "hinge",
  l2: 1e-4,
  lr: linearDecay(1.0, 0.1, 100),
  steps: 100,
  onStep: ({ step, loss, accuracy }) => {
    if (step % 20 === 0) console.log(`step ${step}: loss ${loss.toFixed(4)}, accuracy ${accuracy}`);
  },
});
writeFileSync(
  out,
  decisionBoundarySvg((p) => model.predict(p), data, { title: model.describe() }),
);
console.log(`final accuracy ${result.accuracy}; decision boundary written to ${out}`);
