import { cpus } from "node:os";
import { type BackendName, init } from "../tensor/backend.ts";
import type { WebGpuBackend } from "../tensor/backends/webgpu/webgpu-backend.ts";
import { choiceFlag, type FlagTable, type FlagValues, numberFlag } from "./flags.ts";
import { UsageError } from "./io.ts";
import { enableRelaxedSimd, nodeWorkerFactory } from "./wasm-threads.ts";

/** `--backend` and `--threads`, for commands that train on tensors. */
export const BACKEND_FLAGS: FlagTable = {
  backend: {
    type: "string",
    value: "js|wasm|webgpu",
    help: "tensor backend (given: train on the tensor engine; wasm = WebAssembly SIMD; webgpu = the GPU, through the optional `webgpu` package)",
  },
  threads: {
    type: "string",
    default: "1",
    value: "N",
    help: `threads for large matrix products with --backend wasm (this machine: ${cpus().length} cores)`,
  },
};

/** What `useBackend` set up. */
export interface BackendChoice {
  readonly name: BackendName;
  readonly threads: number;
  /** e.g. "wasm (2 threads, fma)". */
  readonly label: string;
}

/**
 * Reads `--backend`/`--threads` and installs that backend (`init`); undefined when `--backend`
 * is not given. For wasm it turns on Node 20's relaxed SIMD and gives it Node worker threads;
 * webgpu is accepted only where the command trains through `fitAsync` (`gpu`).
 */
export async function useBackend(values: FlagValues, gpu = false): Promise<BackendChoice | undefined> {
  const threads = numberFlag(values, "threads", (n) => Number.isInteger(n) && n >= 1 && n <= 32, "1..32");
  if (values.backend === undefined) return undefined;
  if (values.backend === "webgpu" && !gpu)
    throw new UsageError("--backend webgpu: only `train --dataset mnist` trains on the GPU so far");
  const name = choiceFlag(
    values,
    "backend",
    gpu ? (["js", "wasm", "webgpu"] as const) : (["js", "wasm"] as const),
  );
  if (name === "js") {
    await init("js");
    return { name, threads: 1, label: "js" };
  }
  if (name === "webgpu") {
    const b = (await init("webgpu")) as WebGpuBackend;
    return { name, threads: 1, label: `webgpu (${b.adapter})` };
  }
  const fma = enableRelaxedSimd();
  const b = await init("wasm", {
    fma,
    threads,
    workerFactory: threads > 1 ? nodeWorkerFactory() : undefined,
  });
  const used = (b as { threads?: number }).threads ?? 1;
  return {
    name,
    threads: used,
    label: `wasm (${used} thread${used === 1 ? "" : "s"}, ${fma ? "fma" : "mul+add"})`,
  };
}
