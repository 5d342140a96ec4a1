// The Digits view's data file: a subset of MNIST made at build time from the `mnist` package
// (web/vite-digits.ts) in a compact form, read back in the worker. Four bits per pixel (16 grey
// levels: the strokes look the same, and half the bytes), two pixels to a byte, and the whole
// file gzipped; the browser inflates it with DecompressionStream. Layout before gzip:
//   "MGD1", count (uint32 little-endian), count labels (one byte each), count × 392 pixel bytes.

/** Pixels of one 28×28 digit. */
export const PIXELS = 784;
const MAGIC = "MGD1";
const HEADER = 8;

/** Digits as pixel intensities in [0, 1] (`count × 784`, row-major) and their labels. */
export interface Digits {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
}

/** Packs 8-bit digits (`labels.length × 784` bytes) into the file's layout, before gzip. */
export function packDigits(pixels: Uint8Array, labels: readonly number[]): Uint8Array {
  const count = labels.length;
  if (pixels.length !== count * PIXELS)
    throw new RangeError(
      `packDigits: ${pixels.length} pixels for ${count} digits (expected ${count * PIXELS})`,
    );
  const out = new Uint8Array(HEADER + count + (count * PIXELS) / 2);
  for (let i = 0; i < 4; i++) out[i] = MAGIC.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, count, true);
  out.set(labels, HEADER);
  const at = HEADER + count;
  for (let i = 0; i < pixels.length; i += 2) out[at + i / 2] = (pixels[i] >> 4) * 16 + (pixels[i + 1] >> 4);
  return out;
}

/** Reads a packed file (after gunzip) back into digits; throws naming what does not fit. */
export function unpackDigits(bytes: Uint8Array): Digits {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < HEADER || magic !== MAGIC)
    throw new RangeError(`digits file: expected it to start with "${MAGIC}", got "${magic}"`);
  const count = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const expected = HEADER + count + (count * PIXELS) / 2;
  if (bytes.length !== expected)
    throw new RangeError(`digits file: ${bytes.length} bytes for ${count} digits (expected ${expected})`);
  const labels = bytes.slice(HEADER, HEADER + count);
  const images = new Float32Array(count * PIXELS);
  const at = HEADER + count;
  for (let i = 0; i < images.length; i += 2) {
    const b = bytes[at + i / 2];
    images[i] = (b >> 4) / 15;
    images[i + 1] = (b & 15) / 15;
  }
  return { images, labels };
}

/** Fetches and inflates the gzipped digits file at `url`. */
export async function fetchDigits(url: string): Promise<Digits> {
  const response = await fetch(url);
  if (!response.ok || response.body === null)
    throw new Error(`could not load the digits (${url}: HTTP ${response.status})`);
  const inflated = response.body.pipeThrough(new DecompressionStream("gzip"));
  return unpackDigits(new Uint8Array(await new Response(inflated).arrayBuffer()));
}
