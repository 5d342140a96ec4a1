// The script a browser Worker runs for the wasm backend's threads (see `WasmRuntimeOptions`):
// it hands its first message to `serveGemmWorker`. Node uses src/cli/wasm-worker.ts instead.
import { serveGemmWorker } from "./worker-loop.ts";
import type { WorkerStart } from "./worker-protocol.ts";

const scope = globalThis as unknown as { onmessage: ((event: { data: WorkerStart }) => void) | null };
scope.onmessage = (event) => {
  scope.onmessage = null;
  void serveGemmWorker(event.data);
};
