import { duplicateJsonKey } from "./json-keys.ts";

/**
 * Element types this library writes (and reads).
 *
 * @example
 * const dtype: SafetensorsDtype = "F64";
 * saveSafetensors(model, { dtype });
 */
export type SafetensorsDtype = "F32" | "F64";

/**
 * Element types this library reads: half precision is widened to float32.
 *
 * @example
 * const t = readSafetensors(bytes).tensors["weight"];
 * if (t.dtype === "BF16") console.log("stored as bfloat16, read as float32");
 */
export type SafetensorsReadDtype = SafetensorsDtype | "F16" | "BF16";

/**
 * A tensor as stored in a safetensors file.
 *
 * @example
 * const t: SafeTensor = readSafetensors(bytes).tensors["layers.0.weight"];
 * t.shape; // e.g. [16, 2]
 */
export interface SafeTensor {
  /** Element type as stored in the file. */
  readonly dtype: SafetensorsReadDtype;
  /** Dimensions. */
  readonly shape: readonly number[];
  /** The numbers, row-major. */
  readonly data: Float32Array | Float64Array;
}

/**
 * The contents of a safetensors file.
 *
 * @example
 * const { tensors, metadata }: SafetensorsFile = readSafetensors(bytes);
 */
export interface SafetensorsFile {
  /** Tensors by name, in the order of their bytes in the file. */
  readonly tensors: Record<string, SafeTensor>;
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: Record<string, string>;
}

/**
 * Limits on what a file may ask for.
 *
 * @example
 * readSafetensors(bytes, { maxHeaderBytes: 1 << 20 });
 */
export interface SafetensorsReadOptions {
  /** Largest header accepted, in bytes (default 100 MB, as the reference implementation). */
  readonly maxHeaderBytes?: number;
}

const READABLE: readonly SafetensorsReadDtype[] = ["F64", "F32", "F16", "BF16"];

/** IEEE 754 half precision (1 sign, 5 exponent, 10 fraction bits) to a number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 (the top 16 bits of a float32) to a number. */
function bfloat16ToNumber(b: number): number {
  const scratch = new DataView(new ArrayBuffer(4));
  scratch.setUint32(0, b << 16);
  return scratch.getFloat32(0);
}

const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/**
 * Writes tensors in the safetensors format: an 8-byte little-endian header length, a JSON
 * header (`{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}`,
 * padded with spaces to a multiple of 8 bytes), then the raw little-endian bytes, back to back.
 *
 * @example
 * const bytes = writeSafetensors({ "layers.0.bias": { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } });
 */
export function writeSafetensors(
  tensors: Readonly<
    Record<
      string,
      {
        readonly dtype: SafetensorsDtype;
        readonly shape: readonly number[];
        readonly data: ArrayLike<number>;
      }
    >
  >,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new TypeError(`writeSafetensors: metadata "${k}" must be a string`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === "" || name === "__metadata__")
      throw new RangeError(`writeSafetensors: invalid tensor name "${name}"`);
    const size = DTYPE_BYTES[t.dtype];
    if (t.dtype !== "F32" && t.dtype !== "F64")
      throw new RangeError(`writeSafetensors: "${name}": dtype ${t.dtype} is not F32 or F64`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0) || count !== t.data.length) {
      throw new RangeError(
        `writeSafetensors: "${name}" has ${t.data.length} numbers for shape [${t.shape.join(", ")}]`,
      );
    }
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + count * size] };
    offset += count * size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of entries) {
    const f64 = t.dtype === "F64";
    for (let i = 0; i < t.data.length; i++) {
      if (f64) view.setFloat64(at, t.data[i], true);
      else view.setFloat32(at, t.data[i], true);
      at += f64 ? 8 : 4;
    }
  }
  return out;
}

/**
 * Reads a safetensors file. Everything the header claims is checked against the file before any
 * tensor memory is allocated: the header length, the JSON, every dtype, shape and offset range,
 * that ranges neither overlap nor leave gaps, and that they end exactly at the end of the file.
 * So a corrupt or hostile file gets a clear error and can never make the reader allocate more
 * than its own size.
 *
 * @example
 * const file = readSafetensors(bytes);
 * for (const [name, t] of Object.entries(file.tensors)) console.log(name, t.dtype, t.shape);
 */
export function readSafetensors(bytes: Uint8Array, options: SafetensorsReadOptions = {}): SafetensorsFile {
  const { header, dataStart } = readHeader(bytes, options.maxHeaderBytes ?? 100_000_000);
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const planned: Planned[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name !== "__metadata__") planned.push(planTensor(name, entry, dataLength));
    else if (!isObject(entry)) fail('"__metadata__" is not an object');
    else {
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== "string") fail(`metadata "${k}" is not a string`);
        metadata[k] = v;
      }
    }
  }
  const ordered = [...planned].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous = "";
  for (const t of ordered) {
    if (t.begin < at) fail(`tensors "${previous}" and "${t.name}" overlap (bytes ${t.begin}..${at})`);
    if (t.begin > at) fail(`bytes ${at}..${t.begin} belong to no tensor (before "${t.name}")`);
    at = t.end;
    previous = t.name;
  }
  if (at !== dataLength) fail(`the file has ${dataLength - at} bytes after the last tensor`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors: Record<string, SafeTensor> = {};
  for (const t of ordered) tensors[t.name] = decodeTensor(view, dataStart, t);
  return { tensors, metadata };
}

/** A tensor's entry in the header, checked: where its bytes are. */
interface Planned {
  readonly name: string;
  readonly dtype: SafetensorsReadDtype;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function fail(message: string): never {
  throw new RangeError(`safetensors: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isReadable(dtype: string): dtype is SafetensorsReadDtype {
  return (READABLE as readonly string[]).includes(dtype);
}

function isCounts(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && d >= 0);
}

/** The 8-byte length, then the JSON header: checked to be an object of sane size. */
function readHeader(bytes: Uint8Array, maxHeaderBytes: number) {
  if (bytes.length < 8) fail(`the file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (headerLength > bytes.length - 8) {
    fail(
      `the header claims ${headerLength} bytes but the file has only ${bytes.length - 8} after the length`,
    );
  }
  if (headerLength > maxHeaderBytes)
    fail(`the header is ${headerLength} bytes, more than the ${maxHeaderBytes} allowed`);
  if (headerLength < 2) fail(`the header is ${headerLength} bytes, too short for a JSON object`);
  let header: unknown;
  let headerText = "";
  try {
    headerText = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
    header = JSON.parse(headerText);
  } catch (e) {
    fail(`the header is not valid UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const repeated = duplicateJsonKey(headerText);
  if (repeated !== undefined) fail(`the header lists "${repeated}" twice`);
  if (!isObject(header)) fail("the header is not a JSON object");
  return { header, dataStart: 8 + headerLength };
}

/** One tensor's header entry, checked against the file: a known dtype, a shape, offsets that fit. */
function planTensor(name: string, entry: unknown, dataLength: number): Planned {
  if (!isObject(entry)) fail(`tensor "${name}" is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== "string" || !(dtype in DTYPE_BYTES))
    fail(`tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`);
  if (!isReadable(dtype))
    fail(`tensor "${name}" has dtype ${dtype}; this library reads ${READABLE.join(", ")}`);
  if (!isCounts(shape))
    fail(`tensor "${name}" has shape ${JSON.stringify(shape)}, expected a list of integers >= 0`);
  if (!isCounts(offsets) || offsets.length !== 2 || offsets[0] > offsets[1]) {
    fail(
      `tensor "${name}" has data_offsets ${JSON.stringify(offsets)}, expected [begin, end] with 0 <= begin <= end`,
    );
  }
  const [begin, end] = offsets;
  if (end > dataLength)
    fail(`tensor "${name}" ends at byte ${end}, past the ${dataLength} data bytes of the file`);
  // The element count, stopping as soon as it exceeds what the byte range can hold.
  const size = DTYPE_BYTES[dtype];
  let count = shape.includes(0) ? 0 : 1;
  for (const d of count === 0 ? [] : shape) {
    count *= d;
    if (count * size > dataLength) break;
  }
  if (count * size !== end - begin) {
    fail(
      `tensor "${name}" of shape [${shape.join(", ")}] ${dtype} needs ${count * size} bytes, its offsets give ${end - begin}`,
    );
  }
  return { name, dtype, shape, begin, end };
}

/** A planned tensor's numbers, read little-endian from the data section. */
function decodeTensor(view: DataView, dataStart: number, t: Planned): SafeTensor {
  const count = (t.end - t.begin) / DTYPE_BYTES[t.dtype];
  const data = t.dtype === "F64" ? new Float64Array(count) : new Float32Array(count);
  const from = dataStart + t.begin;
  const read =
    t.dtype === "F64"
      ? (i: number) => view.getFloat64(from + 8 * i, true)
      : t.dtype === "F32"
        ? (i: number) => view.getFloat32(from + 4 * i, true)
        : t.dtype === "F16"
          ? (i: number) => halfToNumber(view.getUint16(from + 2 * i, true))
          : (i: number) => bfloat16ToNumber(view.getUint16(from + 2 * i, true));
  for (let i = 0; i < count; i++) data[i] = read(i);
  return { dtype: t.dtype, shape: t.shape, data };
}
