export interface WebGpuOptions {
  readonly gpu?: unknown;
}
export async function createWebGpuBackend(_o: WebGpuOptions): Promise<never> {
  throw new Error("todo");
}
