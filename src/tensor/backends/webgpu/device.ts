import type { DeviceArray } from "../../backend.ts";
import {
  type GpuBuffer,
  type GpuDevice,
  type GpuEncoder,
  type GpuPipeline,
  MAP_READ,
  USAGE,
} from "./gpu-types.ts";

// The GPU side of the webgpu backend: buffers reused from a pool keyed by size, handles that give
// their buffer back when collected, and kernels queued without waiting: they are recorded into
// one command encoder, submitted every few dozen kernels and before every read.
//
// One ordering rule keeps this correct. A host write (`queue.writeBuffer`: a kernel's parameters,
// an input uploaded from the host) runs before any command not yet submitted, so it must never
// land in a buffer that such a command still uses. A buffer given back therefore waits in
// quarantine until the commands recorded so far are submitted; only then can it be handed out.

const STORAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;
/** Free buffers kept per size; more are destroyed. */
const POOL_DEPTH = 64;
/** Kernels recorded before a submit (so the GPU starts while the host records more). */
const SUBMIT_EVERY = 32;

/** @internal A float32 array in a GPU buffer: what tensors on the webgpu backend hold. */
export class GpuArray implements DeviceArray {
  readonly dtype = "float32";
  readonly device = "webgpu";
  freed = false;
  readonly length: number;
  readonly buffer: GpuBuffer;
  constructor(length: number, buffer: GpuBuffer) {
    this.length = length;
    this.buffer = buffer;
  }
}

/** One binding of a kernel: a buffer, read-only or written. */
export interface Binding {
  readonly buffer: GpuBuffer;
  readonly write: boolean;
}

/** @internal The device, its buffer pool and its pipelines. */
export class Gpu {
  readonly #device: GpuDevice;
  readonly #free = new Map<number, GpuBuffer[]>();
  readonly #pipelines = new Map<string, GpuPipeline>();
  readonly #finalizer: FinalizationRegistry<GpuBuffer>;
  #pending: GpuEncoder | null = null;
  #recorded = 0;
  #quarantine: GpuBuffer[] = [];
  #live = 0;
  #pooled = 0;

  constructor(device: GpuDevice) {
    this.#device = device;
    // a tensor's buffer goes back to the pool once nothing refers to the tensor
    this.#finalizer = new FinalizationRegistry((buffer) => this.#put(buffer));
  }

  /** Bytes in buffers that tensors hold, and in free buffers waiting in the pool. */
  memory(): { live: number; pooled: number } {
    return { live: this.#live, pooled: this.#pooled };
  }

  #take(bytes: number): GpuBuffer {
    const size = Math.max(4, bytes);
    const buffer = this.#free.get(size)?.pop();
    this.#live += size;
    if (buffer !== undefined) {
      this.#pooled -= size;
      return buffer;
    }
    return this.#device.createBuffer({ size, usage: STORAGE });
  }

  #put(buffer: GpuBuffer): void {
    this.#live -= buffer.size;
    this.#pooled += buffer.size;
    if (this.#pending !== null) this.#quarantine.push(buffer);
    else this.#pool(buffer);
  }

  #pool(buffer: GpuBuffer): void {
    let list = this.#free.get(buffer.size);
    if (list === undefined) {
      list = [];
      this.#free.set(buffer.size, list);
    }
    if (list.length >= POOL_DEPTH) {
      this.#pooled -= buffer.size;
      buffer.destroy();
      return;
    }
    list.push(buffer);
  }

  #encoder(): GpuEncoder {
    this.#pending ??= this.#device.createCommandEncoder();
    return this.#pending;
  }

  #flush(): void {
    if (this.#pending === null) return;
    this.#device.queue.submit([this.#pending.finish()]);
    this.#pending = null;
    this.#recorded = 0;
    for (const b of this.#quarantine) this.#pool(b);
    this.#quarantine = [];
  }

  /** `n` float32 zeros on the GPU, in a pooled buffer. */
  zeros(n: number): GpuArray {
    const buffer = this.#take(4 * n);
    this.#encoder().clearBuffer(buffer);
    const a = new GpuArray(n, buffer);
    this.#finalizer.register(a, buffer, a);
    return a;
  }

  /** Gives an array's buffer back now (a scratch buffer the engine is done with). */
  free(a: GpuArray): void {
    if (a.freed) return;
    a.freed = true;
    this.#finalizer.unregister(a);
    this.#put(a.buffer);
  }

  /** A buffer holding `data` (an input from the host, or a kernel's parameters); give it back with `done`. */
  upload(data: ArrayBufferView & { readonly byteLength: number }): GpuBuffer {
    const buffer = this.#take(data.byteLength); // from the pool: no unsubmitted command uses it
    this.#device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  }

  /** Returns a temporary buffer from `upload`, once the kernel that reads it is recorded. */
  done(buffer: GpuBuffer): void {
    this.#put(buffer);
  }

  /** The compute pipeline for `code`, compiled once. */
  pipeline(key: string, code: () => string): GpuPipeline {
    let p = this.#pipelines.get(key);
    if (p === undefined) {
      const module = this.#device.createShaderModule({ code: code() });
      p = this.#device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
      this.#pipelines.set(key, p);
    }
    return p;
  }

  /** Records one dispatch of `pipeline` over `bindings` (in binding order). */
  run(
    pipeline: GpuPipeline,
    bindings: readonly GpuBuffer[],
    groups: readonly [number, number, number],
  ): void {
    const group = this.#device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: bindings.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const pass = this.#encoder().beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(...groups);
    pass.end();
    if (++this.#recorded >= SUBMIT_EVERY) this.#flush();
  }

  /** The numbers of `a`, once every kernel queued before has run. */
  async read(a: GpuArray): Promise<Float32Array> {
    const bytes = Math.max(4, 4 * a.length);
    const staging = this.#device.createBuffer({ size: bytes, usage: MAP_READ | USAGE.COPY_DST });
    this.#encoder().copyBufferToBuffer(a.buffer, 0, staging, 0, bytes);
    this.#flush();
    await staging.mapAsync(MAP_READ);
    const out = new Float32Array(staging.getMappedRange().slice(0, 4 * a.length));
    staging.unmap();
    staging.destroy();
    return out;
  }

  /** Resolves when all queued work has finished (for timings). */
  async finish(): Promise<void> {
    this.#flush();
    await this.#device.queue.onSubmittedWorkDone();
  }
}

/**
 * Workgroups for `n` threads of `size` per group, spread over two dimensions when one would
 * pass the 65535 limit (a kernel rebuilds its index as `x + y·65535·size`).
 */
export function groupsFor(n: number, size = 256): [number, number, number] {
  const groups = Math.ceil(n / size);
  if (groups <= 65535) return [Math.max(1, groups), 1, 1];
  return [65535, Math.ceil(groups / 65535), 1];
}
