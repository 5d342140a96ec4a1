// Tokenizers: round trips for any string (fast-check), BPE merges on a known corpus, save/load.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BPETokenizer, CharTokenizer, tokenizerFromJSON, utf8Decode, utf8Encode } from "../../src/index.ts";

// Any JS string: ASCII, any code point, and any UTF-16 code unit (lone surrogates included).
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.array(fc.integer({ min: 0, max: 0xffff })).map((units) => String.fromCharCode(...units)),
);
const corpus = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "the cat sat on the mat"];

test("utf8: matches TextEncoder on well-formed strings and round-trips lone surrogates", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (s) => {
      assert.deepEqual(utf8Encode(s), [...new TextEncoder().encode(s)]);
      assert.equal(utf8Decode(utf8Encode(s)), s);
    }),
  );
  assert.equal(utf8Decode(utf8Encode("a\ud800b\udc00")), "a\ud800b\udc00");
  assert.equal(utf8Decode([0xff, 0x61, 0xe2, 0x82]), "\ufffda\ufffd\ufffd");
});

test("CharTokenizer: one id per known character, specials first", () => {
  const tok = CharTokenizer.fromText(corpus);
  assert.equal(tok.eos, 0);
  assert.equal(tok.tokenString(0), "<eos>");
  assert.deepEqual(tok.chars.slice(0, 3), [" ", "a", "b"]);
  assert.equal(tok.vocabSize, 1 + tok.chars.length + 16);
  assert.deepEqual(tok.encode("ab"), [2, 3]);
  assert.equal(tok.decode([0, 2, 0, 3, 0]), "ab");
});

test("CharTokenizer: decode(encode(s)) = s for any string, unseen characters included", () => {
  const tok = CharTokenizer.fromText(corpus);
  fc.assert(fc.property(anyString, (s) => assert.equal(tok.decode(tok.encode(s)), s)));
  const ids = tok.encode("é");
  assert.equal(ids.length, 4, "é is two UTF-8 bytes, two fallback tokens each");
  assert.deepEqual(
    ids.map((i) => tok.tokenString(i)),
    ["<0xC>", "<0x3>", "<0xA>", "<0x9>"],
  );
});

test("BPETokenizer: learns the most frequent pair first, with end-of-word tokens", () => {
  const tok = BPETokenizer.train("aaab aaab aab", { vocabSize: 258 + 3 });
  // bytes of "a" = 97 -> id 2 + 97; </w> = 1. Most frequent pair: (a, a) 5 times.
  const a = 2 + 97;
  const b = 2 + 98;
  assert.deepEqual(tok.merges[0], [a, a]);
  assert.equal(tok.vocabSize, 261);
  assert.equal(tok.tokenString(258), "aa");
  // Then (b, </w>), 3 times, beats (aa, a) and (a, b), twice each.
  assert.deepEqual(tok.merges[1], [b, 1]);
  assert.equal(tok.tokenString(259), "b</w>");
  // Then (aa, a) and (a, b</w>) tie at 2; ties go to the smaller pair of ids.
  assert.deepEqual(tok.merges[2], [a, 259]);
  assert.equal(tok.tokenString(260), "ab</w>");
  assert.deepEqual(tok.encode("aab"), [258, 259]);
  assert.deepEqual(tok.encode("aaab"), [258, 260]);
  assert.deepEqual(tok.encode("ba"), [b, a, 1], "no merge applies");
});

test("BPETokenizer: decode(encode(s)) = s for any string", () => {
  const tok = BPETokenizer.train(corpus.join("\n"), { vocabSize: 300 });
  fc.assert(fc.property(anyString, (s) => assert.equal(tok.decode(tok.encode(s)), s)));
  const plain = BPETokenizer.train(corpus, { vocabSize: 290, endOfWord: false });
  fc.assert(fc.property(anyString, (s) => assert.equal(plain.decode(plain.encode(s)), s)));
  assert.ok(tok.encode("isabella").length < 4, "a training word compresses");
  assert.equal(tok.decode(tok.encode("  two  spaces\tand\nlines ")), "  two  spaces\tand\nlines ");
});

test("BPETokenizer: stops early when there is nothing left to merge", () => {
  const tok = BPETokenizer.train("ab", { vocabSize: 1000 });
  assert.equal(tok.vocabSize, 258 + 2);
});

test("tokenizers save and load their vocabulary through JSON", () => {
  const toks = [CharTokenizer.fromText(corpus), BPETokenizer.train(corpus, { vocabSize: 280 })];
  for (const tok of toks) {
    const back = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    assert.equal(back.kind, tok.kind);
    assert.equal(back.vocabSize, tok.vocabSize);
    fc.assert(fc.property(anyString, (s) => assert.deepEqual(back.encode(s), tok.encode(s))));
  }
});

test("tokenizer errors name the op and the bad value", () => {
  const tok = CharTokenizer.fromText(corpus);
  assert.throws(
    () => tok.decode([999]),
    /CharTokenizer.decode: token id 999 is not in the vocabulary \[0, \d+\)/,
  );
  assert.throws(() => new CharTokenizer(["ab"]), /one character, got "ab"/);
  assert.throws(() => new CharTokenizer(["a", "a"]), /"a" is listed twice/);
  assert.throws(() => BPETokenizer.train("x", { vocabSize: 10 }), /vocabSize must be an integer >= 258/);
  assert.throws(() => new BPETokenizer([[5, 900]]), /merge 0 must join two earlier tokens/);
  assert.throws(() => tokenizerFromJSON({ kind: "word" }), /unknown tokenizer kind "word"/);
  assert.throws(() => tokenizerFromJSON(null), /unknown tokenizer kind undefined/);
});
