import type { Gpu, GpuAdapter } from "./gpu-types.ts";

// Where the GPU comes from: the browser's `navigator.gpu`, or in Node the optional `webgpu`
// package (Dawn), imported only here and only when the webgpu backend is chosen, so the core
// keeps zero runtime dependencies. Every way of not finding one ends in an error that says why.

/** What `init("webgpu")` is told to install when Node lacks the package. */
export const INSTALL_HINT =
  "in Node, install the optional peer dependency: `npm install webgpu` (Dawn for Node); on Linux without a GPU, also the Vulkan loader (`apt install libvulkan1`) and a Vulkan driver such as SwiftShader (Debian's chromium-common ships it: set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)";

/** The browser's WebGPU entry point, when there is one. */
function browserGpu(): Gpu | undefined {
  const nav = (globalThis as { navigator?: { gpu?: Gpu } }).navigator;
  return nav?.gpu ?? undefined;
}

/** Dawn for Node, from the optional `webgpu` package. */
async function nodeGpu(): Promise<Gpu> {
  // A variable specifier: bundlers leave it alone, and only Node ever reaches this line.
  const name = "webgpu";
  let mod: { create: (flags: string[]) => Gpu };
  try {
    mod = await import(/* @vite-ignore */ name);
  } catch (e) {
    throw new Error(
      `init("webgpu"): there is no navigator.gpu (a browser needs WebGPU enabled and a secure context: https or localhost) and the "webgpu" package could not be loaded (${(e as Error).message}); ${INSTALL_HINT}`,
    );
  }
  // Kept for the life of the program: Dawn tears down its devices when this object is collected.
  dawn ??= mod.create([]);
  return dawn;
}

let dawn: Gpu | undefined;

/**
 * The adapter the backend runs on, from `gpu` if given, else `navigator.gpu`, else the
 * `webgpu` package; an error naming the reason when there is none.
 *
 * @example
 * const adapter = await findAdapter(); // "SwiftShader driver 5.0.0" on a machine without a GPU
 */
export async function findAdapter(gpu?: Gpu): Promise<GpuAdapter> {
  const fromPackage = gpu === undefined && browserGpu() === undefined;
  const source = gpu ?? browserGpu() ?? (await nodeGpu());
  const adapter = await source.requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null) {
    throw new Error(
      `init("webgpu"): WebGPU found no adapter (no GPU, or no driver it accepts)${fromPackage ? `; ${INSTALL_HINT}` : ""}`,
    );
  }
  return adapter;
}

/**
 * The adapter's name as the backend reports it, e.g. "SwiftShader driver 5.0.0".
 *
 * @example
 * adapterName(await findAdapter()); // "SwiftShader driver 5.0.0"
 */
export function adapterName(adapter: GpuAdapter): string {
  const info = adapter.info;
  return (
    info?.description || [info?.vendor, info?.architecture].filter(Boolean).join(" ") || "unknown adapter"
  );
}
