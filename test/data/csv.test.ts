import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fitStandardizer, parseCsv, standardize } from "../../src/index.ts";

const IRISH = `sepal_length,sepal_width,species
5.1,3.5,setosa
7.0,3.2,versicolor

6.3,3.3,virginica
4.9,3.0,setosa
`;

test("parses header, numeric features and string labels sorted into indices", () => {
  const d = parseCsv(IRISH);
  assert.deepEqual(d.featureNames, ["sepal_length", "sepal_width"]);
  assert.deepEqual(d.labels, ["setosa", "versicolor", "virginica"]);
  assert.equal(d.labelName, "species");
  assert.deepEqual(d.y, [0, 1, 2, 0]);
  assert.deepEqual(d.x[2], [6.3, 3.3]);
  assert.deepEqual(d.lines, [2, 3, 5, 6]);
  assert.equal(d.classes, 3);
});

test("label column by name or index; features chosen and ordered by name", () => {
  const text = "y,a,b\n1,2,3\n0,5,6\n";
  const d = parseCsv(text, { label: "y", features: ["b", "a"] });
  assert.deepEqual(d.x, [
    [3, 2],
    [6, 5],
  ]);
  assert.deepEqual(d.labels, ["0", "1"]);
  assert.deepEqual(d.y, [1, 0]);
  assert.deepEqual(parseCsv(text, { label: 0 }).featureNames, ["a", "b"]);
  const noLabel = parseCsv("a,b\n1,2\n", { label: "y", labelOptional: true, classNames: ["p", "q"] });
  assert.deepEqual(noLabel.y, []);
  assert.deepEqual(noLabel.labels, ["p", "q"]);
});

test("numeric labels sort numerically; regression keeps numbers; known class names map", () => {
  assert.deepEqual(parseCsv("x,c\n1,10\n2,2\n3,1\n").labels, ["1", "2", "10"]);
  const r = parseCsv("x,t\n1,0.5\n2,-1e2\n", { task: "regression" });
  assert.deepEqual(r.y, [0.5, -100]);
  assert.equal(r.classes, 1);
  const k = parseCsv("x,c\n1,b\n", { classNames: ["a", "b"] });
  assert.deepEqual(k.y, [1]);
  assert.equal(k.classes, 2);
});

test("quoted fields, CRLF, BOM, bytes input", () => {
  const text = '\ufeff"feature, one",label\r\n"1.5","a ""quoted"" class"\r\n2,b\r\n';
  const d = parseCsv(new TextEncoder().encode(text));
  assert.deepEqual(d.featureNames, ["feature, one"]);
  assert.deepEqual(d.labels, ['a "quoted" class', "b"]);
  assert.deepEqual(d.x, [[1.5], [2]]);
});

test("malformed files name the line and the column", () => {
  const cases: [string, RegExp, object?][] = [
    ["", /csv: the file is empty/],
    ["a,b\n", /no data rows after the header \(line 1\)/],
    ["a,b\n1,x\n2\n", /csv line 3: expected 2 columns \(as the header\), got 1/],
    ["a,b,c\n1,2,x\n1,abc,y\n", /csv line 3, column "b": expected a number, got "abc"/],
    ["a,b\n,x\n", /csv line 2, column "a": expected a number, got ""/],
    ["a,b\nNaN,x\n", /column "a": expected a number, got "NaN"/],
    ["a,b\nInfinity,x\n", /column "a": expected a number, got "Infinity"/],
    ['a,b\n1,"open\n', /csv line 2: a quoted field is never closed/],
    ['a,b\n1,"x"y\n', /csv line 2: unexpected "y" after a closing quote/],
    ['a,b\n1,x"y\n', /csv line 2: a quote inside an unquoted field/],
    ["a,a\n1,2\n", /column name "a" appears twice/],
    ["a,,b\n1,2,3\n", /column 2 has an empty header name/],
    ["a,b\n1,x\n", /no label column "y" \(columns: a, b\)/, { label: "y" }],
    ["a,b\n1,x\n", /label column 5 is outside the 2 columns/, { label: 5 }],
    ["a,b\n1,x\n", /missing feature column "c"/, { features: ["c"] }],
    ["a,b\n1,x\n", /csv line 2, column "b": unknown class "x" \(known: p, q\)/, { classNames: ["p", "q"] }],
    ["a,b\n1,\n", /csv line 2, column "b": the label is empty/],
    ["a\n1\n", /no feature columns besides the label/],
    ["a,b\n1,2\n", /delimiter must be one character/, { delimiter: "ab" }],
  ];
  for (const [text, message, options] of cases) assert.throws(() => parseCsv(text, options), message, text);
  assert.throws(() => parseCsv(new Uint8Array([0x61, 0xff, 0x0a])), /not valid UTF-8/);
});

function expectCleanOutcome(run: () => { x: number[][] }): void {
  try {
    const d = run();
    for (const row of d.x) for (const v of row) assert.ok(Number.isFinite(v));
  } catch (e) {
    assert.ok(e instanceof RangeError, `not a RangeError: ${e}`);
    assert.match(e.message, /^csv/);
  }
}

test("fuzz: random text, random bytes, truncations and bit flips give a dataset or a csv error", () => {
  const valid = new TextEncoder().encode(IRISH);
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom("a", "1", ".", ",", '"', "\n", "\r", " ", "e", "-") }),
      (s) => expectCleanOutcome(() => parseCsv(s)),
    ),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => expectCleanOutcome(() => parseCsv(b))),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(fc.nat(valid.length), fc.nat(valid.length * 8 - 1), (cut, bit) => {
      expectCleanOutcome(() => parseCsv(valid.slice(0, cut)));
      const flipped = valid.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7);
      expectCleanOutcome(() => parseCsv(flipped));
    }),
    { numRuns: 300 },
  );
});

test("standardize: fitted statistics, constant features, shape errors", () => {
  const x = [
    [1, 5],
    [3, 5],
  ];
  const s = fitStandardizer(x);
  assert.deepEqual(s, { mean: [2, 5], std: [1, 1] });
  assert.deepEqual(standardize(x, s), [
    [-1, 0],
    [1, 0],
  ]);
  assert.throws(() => standardize([[1]], s), /standardize: sample 0 has 1 features, the scaler has 2/);
  assert.throws(() => fitStandardizer([]), /no samples/);
  assert.throws(() => fitStandardizer([[1], [1, 2]]), /sample 1 has 2 features, sample 0 has 1/);
});
