// The part of the WebGPU API this backend uses, typed here so the core needs neither the DOM
// types nor the `webgpu` package's: a browser's `navigator.gpu` and Dawn for Node both fit.

/** Buffer usage flags (fixed by the WebGPU standard). */
export const USAGE = Object.freeze({ MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, STORAGE: 128 });
/** `GPUMapMode.READ`. */
export const MAP_READ = 1;

/** @internal A GPU buffer. */
export interface GpuBuffer {
  readonly size: number;
  destroy(): void;
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}

/** @internal A compute pass being recorded. */
export interface GpuComputePass {
  setPipeline(pipeline: GpuPipeline): void;
  setBindGroup(index: number, group: unknown): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}

/** @internal A command encoder. */
export interface GpuEncoder {
  beginComputePass(): GpuComputePass;
  copyBufferToBuffer(
    src: GpuBuffer,
    srcOffset: number,
    dst: GpuBuffer,
    dstOffset: number,
    size: number,
  ): void;
  clearBuffer(buffer: GpuBuffer): void;
  finish(): unknown;
}

/** @internal A compiled compute pipeline. */
export interface GpuPipeline {
  getBindGroupLayout(index: number): unknown;
}

/** @internal A logical device. */
export interface GpuDevice {
  readonly limits: { readonly maxStorageBufferBindingSize: number; readonly maxBufferSize: number };
  readonly queue: {
    submit(commands: unknown[]): void;
    writeBuffer(buffer: GpuBuffer, offset: number, data: ArrayBufferView): void;
    onSubmittedWorkDone(): Promise<void>;
  };
  createBuffer(descriptor: { size: number; usage: number }): GpuBuffer;
  createShaderModule(descriptor: { code: string }): unknown;
  createComputePipeline(descriptor: {
    layout: "auto";
    compute: { module: unknown; entryPoint: string };
  }): GpuPipeline;
  createBindGroup(descriptor: {
    layout: unknown;
    entries: { binding: number; resource: { buffer: GpuBuffer } }[];
  }): unknown;
  createCommandEncoder(): GpuEncoder;
  destroy(): void;
}

/** @internal An adapter: the GPU (or software renderer) a device is made on. */
export interface GpuAdapter {
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string };
  readonly limits: { readonly maxStorageBufferBindingSize: number; readonly maxBufferSize: number };
  requestDevice(descriptor?: { requiredLimits?: Record<string, number> }): Promise<GpuDevice>;
}

/**
 * The entry point of WebGPU: `navigator.gpu` in a browser, `create([])` of the `webgpu`
 * package in Node.
 *
 * @example
 * await init("webgpu", { gpu: navigator.gpu });
 */
export interface Gpu {
  /** The adapter (a GPU, or a software renderer), or null when there is none. */
  requestAdapter(options?: {
    powerPreference?: "high-performance" | "low-power";
  }): Promise<GpuAdapter | null>;
}
