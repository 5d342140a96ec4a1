// Which engine a run trains on: the one the settings name, except that "webgpu" falls back to
// wasm where the browser has no WebGPU or no adapter, and "wasm" falls back to the scalar engine
// where the tensor engine cannot start, e.g. a browser without WebAssembly or without its SIMD;
// each fallback comes with a note saying why. Each tensor engine is loaded once, on first request.
import type { EngineFactory } from "./engine.ts";
import { scalarEngine } from "./scalar-engine.ts";
import type { EngineName } from "./settings.ts";

/** Loads an engine (a dynamic import and `init(…)` in the worker); throws if it cannot. */
export type EngineLoader = () => Promise<EngineFactory>;

/** The engine for a setting, and a note when it is not the one asked for ("" when it is). */
export type EngineChooser = (name: EngineName) => Promise<[EngineFactory, string]>;

/** `load`, tried once: its engine, or why it could not start (`missing`'s reason, if any, first). */
function once(load: EngineLoader, missing = (): string => ""): () => Promise<EngineFactory | string> {
  let loaded: Promise<EngineFactory | string> | null = null;
  const attempt = async (): Promise<EngineFactory | string> => {
    const reason = missing();
    if (reason !== "") return reason;
    try {
      return await load();
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  return () => {
    loaded ??= attempt();
    return loaded;
  };
}

/** An engine chooser that loads the wasm engine with `wasm` and the WebGPU one with `webgpu`, each at most once. */
export function engineChooser(wasm: EngineLoader, webgpu: EngineLoader): EngineChooser {
  const wasmEngine = once(wasm, () =>
    typeof WebAssembly === "undefined" ? "this browser runs no WebAssembly" : "",
  );
  const gpuEngine = once(webgpu);
  const wasmOrScalar = async (): Promise<[EngineFactory, string]> => {
    const loaded = await wasmEngine();
    return typeof loaded === "string" ? [scalarEngine(), `wasm unavailable (${loaded})`] : [loaded, ""];
  };
  return async (name) => {
    if (name === "js") return [scalarEngine(), ""];
    if (name === "wasm") return wasmOrScalar();
    const gpu = await gpuEngine();
    if (typeof gpu !== "string") return [gpu, ""];
    const [engine, note] = await wasmOrScalar();
    return [engine, [`WebGPU unavailable (${gpu})`, note].filter(Boolean).join("; ")];
  };
}
