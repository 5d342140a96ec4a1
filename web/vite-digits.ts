// A Vite plugin that makes the Digits view's data at build time from the `mnist` package (a dev
// dependency): the first DIGITS_PER_CLASS digits of each class, packed (web/src/digits-data.ts)
// and gzipped into one asset. `import url from "virtual:mnist-digits"` gives its URL; the dev
// server serves the same bytes.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";
import { PIXELS, packDigits } from "./src/digits-data.ts";

/** Digits of each class shipped: 4,000 train the view's networks, 1,000 test them. */
export const DIGITS_PER_CLASS = 500;
const ID = "virtual:mnist-digits";
const DEV_PATH = "/@mnist-digits.bin";

/** The gzipped file: `perClass` digits of each class from the `mnist` package, in class order. */
export function digitsFile(perClass = DIGITS_PER_CLASS): Uint8Array {
  const require = createRequire(import.meta.url);
  const pixels = new Uint8Array(10 * perClass * PIXELS);
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const text = readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), "latin1");
    const at = labels.length * PIXELS;
    const read = firstNumbers(text, perClass * PIXELS);
    if (read.length < perClass * PIXELS)
      throw new RangeError(
        `mnist: only ${read.length / PIXELS} digits of class ${digit}, ${perClass} wanted`,
      );
    for (let i = 0; i < read.length; i++) pixels[at + i] = Math.round(read[i] * 255);
    for (let i = 0; i < perClass; i++) labels.push(digit);
  }
  return gzipSync(packDigits(pixels, labels), { level: 6 }); // level 9: 1.3% smaller, 3 times as long
}

/**
 * The first `count` numbers of the `data` array of an mnist package file (`{ "data": [0,0.486,...] }`),
 * read without parsing the rest: the whole file is 4 MB of JSON, and the build needs half of it.
 */
function firstNumbers(text: string, count: number): Float64Array {
  const out = new Float64Array(count);
  let n = 0;
  let start = text.indexOf("[") + 1;
  for (let i = start; n < count && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 44 && c !== 93) continue; // a number ends at "," or "]"
    out[n++] = Number(text.slice(start, i));
    if (c === 93) break;
    start = i + 1;
  }
  return out.subarray(0, n);
}

/** The plugin: resolves `virtual:mnist-digits` to the URL of the file. */
export function mnistDigits(): Plugin {
  let bytes: Uint8Array | undefined;
  const file = (): Uint8Array => {
    bytes ??= digitsFile();
    return bytes;
  };
  let serving = false;
  return {
    name: "mnist-digits",
    configResolved(config) {
      serving = config.command === "serve";
    },
    resolveId: (id) => (id === ID ? `\0${ID}` : undefined),
    load(id) {
      if (id !== `\0${ID}`) return undefined;
      if (serving) return `export default ${JSON.stringify(DEV_PATH)};`;
      const ref = this.emitFile({ type: "asset", name: "mnist-digits.bin", source: file() });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
    configureServer(server) {
      server.middlewares.use(DEV_PATH, (_req, res) => {
        res.setHeader("content-type", "application/octet-stream");
        res.end(file());
      });
    },
  };
}
