// The tensor op tests, the tensor tests, the PyTorch goldens and the tensor nn tests again, on
// the wasm backend with every float32 product and elementwise call sent to WebAssembly (no size
// thresholds): the float32 forward checks then compare WebAssembly kernels against plain numbers.
// Float64 data (the gradient checks) runs on the js reference kernels inside the wasm backend.
import assert from "node:assert/strict";
import { backend, init } from "../../../src/index.ts";

await init("wasm", { minMatmul: 0, minElementwise: 0 });
assert.equal(backend().name, "wasm");
await import("../ops.test.ts");
await import("../attention-ops.test.ts");
await import("../conv.test.ts");
await import("../tensor.test.ts");
await import("../golden.test.ts");
await import("../../nn/tensor-modules.test.ts");
