import { backend, type Data, isHost, type Storage } from "./backend.ts";
import type { DType } from "./tensor.ts";

/** A new zero-filled array of the dtype. */
export function allocate(dtype: DType, n: number): Data {
  return dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
}

// Gradient buffers live only during a backward pass: once a tensor's gradient has been pushed
// to its inputs, its buffer is returned here and handed out again (zeroed) to the next op that
// needs one of the same size, so a training step allocates far fewer typed arrays.
const pool = new Map<number, Data[]>();
const POOL_DEPTH = 16;

/**
 * @internal Zeroed storage for an op's output: a typed array, or device storage on a backend
 * that keeps its numbers on a device (webgpu, for float32).
 */
export function storageFor(dtype: DType, n: number): Storage {
  return backend().alloc?.(dtype, n) ?? allocate(dtype, n);
}

/** @internal A zeroed scratch buffer, reused from the pool when one of this size is free. */
export function scratch(dtype: DType, n: number): Storage {
  const device = backend().alloc?.(dtype, n);
  if (device !== undefined && !isHost(device)) return device;
  const key = dtype === "float64" ? -n - 1 : n;
  const free = pool.get(key);
  const buf = free?.pop();
  if (buf === undefined) return allocate(dtype, n);
  buf.fill(0);
  return buf;
}

/** @internal Gives a scratch buffer back; nothing may use it afterwards. */
export function release(buf: Storage): void {
  if (!isHost(buf)) {
    backend().free?.(buf);
    return;
  }
  const key = buf instanceof Float64Array ? -buf.length - 1 : buf.length;
  let free = pool.get(key);
  if (free === undefined) {
    free = [];
    pool.set(key, free);
  }
  if (free.length < POOL_DEPTH) free.push(buf);
}

/** The dtype of a typed array (device storage is float32). */
export function dtypeOf(data: Storage): DType {
  return data instanceof Float64Array ? "float64" : "float32";
}
