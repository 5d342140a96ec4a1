// Which engine a run trains on: the one the settings name, except that "wasm" falls back to the
// scalar engine (with a note saying why) where the tensor engine cannot start, e.g. a browser
// without WebAssembly or without its SIMD. The wasm engine is loaded once, on first request.
import type { EngineFactory } from "./engine.ts";
import { scalarEngine } from "./scalar-engine.ts";
import type { EngineName } from "./settings.ts";

/** Loads the wasm engine (a dynamic import and `init("wasm")` in the worker); throws if it cannot. */
export type WasmLoader = () => Promise<EngineFactory>;

/** The engine for a setting, and a note when it is not the one asked for ("" when it is). */
export type EngineChooser = (name: EngineName) => Promise<[EngineFactory, string]>;

/** An engine chooser that loads the wasm engine with `load`, at most once. */
export function engineChooser(load: WasmLoader): EngineChooser {
  let wasm: Promise<EngineFactory | string> | null = null;
  const attempt = async (): Promise<EngineFactory | string> => {
    if (typeof WebAssembly === "undefined") return "this browser runs no WebAssembly";
    try {
      return await load();
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  return async (name) => {
    if (name === "js") return [scalarEngine(), ""];
    wasm ??= attempt();
    const loaded = await wasm;
    return typeof loaded === "string" ? [scalarEngine(), `wasm unavailable (${loaded})`] : [loaded, ""];
  };
}
