// A Vite plugin that makes the Digits view's data at build time from the `mnist` package (a dev
// dependency): the first DIGITS_PER_CLASS digits of each class, packed (web/src/digits-data.ts)
// and gzipped into one asset. `import url from "virtual:mnist-digits"` gives its URL; the dev
// server serves the same bytes.
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
    const { data } = require(`mnist/src/digits/${digit}.json`) as { data: number[] };
    if (data.length < perClass * PIXELS)
      throw new RangeError(
        `mnist: only ${data.length / PIXELS} digits of class ${digit}, ${perClass} wanted`,
      );
    const at = labels.length * PIXELS;
    for (let i = 0; i < perClass * PIXELS; i++) pixels[at + i] = Math.round(data[i] * 255);
    for (let i = 0; i < perClass; i++) labels.push(digit);
  }
  return gzipSync(packDigits(pixels, labels), { level: 9 });
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
