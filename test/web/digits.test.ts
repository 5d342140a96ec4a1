// The Digits view's pipeline, without the DOM: the shipped digits file made from the `mnist`
// package and read back, a drawing made to look like an MNIST digit, the split, and the MLP
// trained as the view trains it reading a drawn "1".
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { fit } from "../../src/index.ts";
import { packDigits, unpackDigits } from "../../web/src/digits-data.ts";
import { digitFromInk } from "../../web/src/digits-input.ts";
import { digitsNetwork, digitsSplit, digitsTraining, readDigit } from "../../web/src/digits-setup.ts";
import { DIGITS_PER_CLASS, digitsFile } from "../../web/vite-digits.ts";

const file = digitsFile();
const digits = unpackDigits(gunzipSync(file));

test("the digits file: 500 of each class from the mnist package, 16 grey levels, under 500 KB", () => {
  assert.equal(digits.labels.length, 10 * DIGITS_PER_CLASS);
  assert.ok(file.length < 500_000, `${file.length} bytes`);
  const { data } = createRequire(import.meta.url)("mnist/src/digits/7.json") as { data: number[] };
  const at = 7 * DIGITS_PER_CLASS + 3; // the fourth 7
  assert.equal(digits.labels[at], 7);
  for (let i = 0; i < 784; i++) {
    const want = (Math.round(data[3 * 784 + i] * 255) >> 4) / 15;
    assert.ok(Math.abs(digits.images[at * 784 + i] - want) < 1e-6, `pixel ${i}`);
  }
});

test("a damaged digits file is refused with what is wrong", () => {
  const packed = packDigits(new Uint8Array(2 * 784), [0, 1]);
  assert.equal(unpackDigits(packed).labels.join(), "0,1");
  assert.throws(() => unpackDigits(packed.subarray(0, 100)), /100 bytes for 2 digits \(expected 794\)/);
  assert.throws(() => unpackDigits(new Uint8Array(10)), /expected it to start with "MGD1"/);
  assert.throws(() => packDigits(new Uint8Array(5), [0]), /5 pixels for 1 digits/);
});

/** A pad of `side`² pixels with a vertical bar `w` wide from row `y0` to `y1` at column `x0`. */
function bar(side: number, x0: number, w: number, y0: number, y1: number): Float32Array {
  const ink = new Float32Array(side * side);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x0 + w; x++) ink[y * side + x] = 1;
  return ink;
}

test("a drawing is scaled to a 20-pixel box and centred by its mass, as MNIST's digits", () => {
  const big = digitFromInk(bar(280, 40, 20, 10, 250), 280, 280);
  const small = digitFromInk(bar(280, 200, 8, 150, 246), 280, 280);
  const centre = (img: Float32Array): [number, number, number] => {
    let [m, cx, cy, rows] = [0, 0, 0, 0];
    for (let y = 0; y < 28; y++) {
      let any = false;
      for (let x = 0; x < 28; x++) {
        const v = img[y * 28 + x];
        [m, cx, cy] = [m + v, cx + v * (x + 0.5), cy + v * (y + 0.5)];
        any ||= v > 0;
      }
      if (any) rows++;
    }
    return [cx / m, cy / m, rows];
  };
  for (const img of [big, small]) {
    const [cx, cy, rows] = centre(img);
    assert.ok(Math.abs(cx - 14) < 0.6 && Math.abs(cy - 14) < 0.6, `centre ${cx}, ${cy}`);
    assert.ok(rows >= 20 && rows <= 21, `${rows} rows`);
  }
  assert.ok(Math.max(...big) <= 1);
  assert.ok(digitFromInk(new Float32Array(100), 10, 10).every((v) => v === 0));
});

test("the view's MLP, trained as the worker trains it, reads a drawn 1 as 1", () => {
  const { train, test: held, mean, std } = digitsSplit(digits);
  assert.equal(train.y.length, 4000);
  assert.equal(held.y.length, 1000);
  assert.equal(held.y.filter((d) => d === 3).length, 100); // stratified
  let m = 0;
  for (const v of train.x.data) m += v;
  assert.ok(Math.abs(m / train.x.size) < 1e-3);
  const { model } = digitsNetwork("mlp");
  const result = fit(model, train, digitsTraining("mlp", train, held, 3)); // three epochs of the view's eight
  assert.ok((result.valAccuracy ?? 0) > 0.85, `test accuracy ${result.valAccuracy}`);
  const one = readDigit(model, digitFromInk(bar(280, 130, 20, 30, 250), 280, 280), mean, std);
  const best = one.probs.indexOf(Math.max(...one.probs));
  assert.equal(best, 1, `probabilities ${Array.from(one.probs, (p) => p.toFixed(2)).join(" ")}`);
  assert.ok(Math.abs(one.probs.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  assert.deepEqual(
    one.hidden.map((h) => h.shape),
    [[1, 128]],
  );
});

test("the convolutional network shows its feature maps and dense units", () => {
  const { model } = digitsNetwork("cnn");
  const reading = readDigit(model, digitFromInk(bar(280, 130, 20, 30, 250), 280, 280), 0.13, 0.3);
  assert.deepEqual(
    reading.hidden.map((h) => h.shape),
    [
      [1, 8, 12, 12],
      [1, 16, 4, 4],
      [1, 64],
    ],
  );
  assert.ok(model.training, "readDigit puts the network back in training mode");
});
