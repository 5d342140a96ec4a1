// Optimiser pieces on the GPU (Dawn on SwiftShader): gradient clipping computed there, without a
// read (`clipGradNormOnDevice`), and AdamW's decoupled decay, each against the host's result.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  AdamW,
  type Backend,
  clipGradNorm,
  clipGradNormOnDevice,
  gradsOnDevice,
  init,
  jsBackend,
  matmul,
  mul,
  Rng,
  randn,
  setBackend,
  sum,
  Tensor,
  toHost,
} from "../../../src/index.ts";
import { initWebGpu } from "../../helpers/webgpu.ts";

const gpu = await initWebGpu();
after(() => init("js"));

/** Two weight tensors with the gradient of a small product's loss, scaled by `scale`, on `on`. */
function withGradients(on: Backend, scale: number): Tensor[] {
  setBackend(on);
  const w = [randn([3, 4], { rng: new Rng(1) }), randn([4], { rng: new Rng(2) })].map(
    (t) => new Tensor(t.data, t.shape, { requiresGrad: true }),
  );
  sum(mul(matmul(randn([2, 3], { rng: new Rng(3) }), w[0]), mul(w[1], scale))).backward();
  return w;
}

const gradsOf = (ps: Tensor[]): Promise<number[][]> =>
  Promise.all(ps.map(async (p) => [...(await (p.grad as Tensor).read())]));

const close = (got: number[][], want: number[][], what: string): void =>
  want.forEach((w, j) =>
    w.forEach((v, i) =>
      assert.ok(
        Math.abs(v - got[j][i]) <= 1e-5 * Math.max(1, Math.abs(v)),
        `${what} ${j}[${i}]: ${got[j][i]} vs ${v}`,
      ),
    ),
  );

for (const scale of [10, 0.01]) {
  test(`clipGradNormOnDevice gives clipGradNorm's norm and gradients, without a read (${scale > 1 ? "clipped" : "below the limit"})`, async () => {
    const host = withGradients(jsBackend, scale);
    const norm = clipGradNorm(host, 1);
    const device = withGradients(gpu, scale);
    assert.ok(gradsOnDevice(device) && !gradsOnDevice(host));
    assert.throws(() => clipGradNorm(device, 1), /gradients are on the GPU: use clipGradNormOnDevice/);
    const [deviceNorm] = await clipGradNormOnDevice(device, 1).read();
    assert.ok(Math.abs(deviceNorm - norm) <= 1e-5 * norm, `${deviceNorm} vs ${norm}`);
    assert.equal(norm > 1, scale > 1);
    close(await gradsOf(device), await gradsOf(host), "gradient");
  });
}

test("AdamW decays the matrices on the GPU as on the host (decoupled, biases not)", async () => {
  const host = withGradients(jsBackend, 1);
  new AdamW(host, { lr: 0.1, weightDecay: 0.5 }).step();
  const device = withGradients(gpu, 1);
  new AdamW(device, { lr: 0.1, weightDecay: 0.5 }).step();
  await toHost(device);
  close(
    device.map((p) => [...p.data]),
    host.map((p) => [...p.data]),
    "parameter",
  );
});
