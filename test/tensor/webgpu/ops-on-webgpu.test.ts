// The tensor op tests and the PyTorch goldens again, on
// the webgpu backend (Dawn on SwiftShader): every float32 op runs as WGSL compute shaders, and
// the float32 checks read the results back with `await t.read()`. Float64 data (the gradient
// checks against finite differences) stays on the host, on the js kernels.
import assert from "node:assert/strict";
import { backend } from "../../../src/index.ts";
import { initWebGpu } from "../../helpers/webgpu.ts";

await initWebGpu();
assert.equal(backend().name, "webgpu");
await import("../ops.test.ts");
await import("../golden.test.ts");
