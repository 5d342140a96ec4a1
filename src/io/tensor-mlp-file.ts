import type { Activation } from "../nn/activation.ts";
import { ActivationLayer } from "../nn/activation-layer.ts";
import { Dropout } from "../nn/dropout.ts";
import { Linear } from "../nn/linear.ts";
import { MLP } from "../nn/mlp.ts";
import type { Sequential } from "../nn/sequential.ts";

/**
 * The scalar `MLP` that computes what a tensor MLP (a `Sequential` of `Linear` layers, each
 * optionally followed by an `ActivationLayer`, with `Dropout` ignored as at inference) computes,
 * with its current weights. It is the bridge to every model format: `saveModel`,
 * `saveSafetensors` and `exportOnnx` of it write the tensor model (weights in PyTorch's [out, in]
 * layout), and `fromScalarMLP(loadModel(text).model)` loads one back onto tensors.
 *
 * @example
 * const text = saveModel(scalarTwin(tensorModel), { loss: "softmax" });
 */
export function scalarTwin(model: Sequential): MLP {
  const linears: Linear[] = [];
  const activations: Activation[] = [];
  model.layers.forEach((layer, i) => {
    if (layer instanceof Linear) {
      if (layer.bias === null)
        throw new RangeError(`scalarTwin: layer ${i} is a Linear without bias, which MLP files cannot hold`);
      linears.push(layer);
      activations.push("linear");
    } else if (layer instanceof ActivationLayer) {
      if (linears.length === 0 || activations[activations.length - 1] !== "linear") {
        throw new RangeError(
          `scalarTwin: layer ${i} (${layer.activation}) does not follow a Linear layer directly`,
        );
      }
      activations[activations.length - 1] = layer.activation;
    } else if (!(layer instanceof Dropout)) {
      throw new RangeError(
        `scalarTwin: layer ${i} is a ${layer.constructor.name}; MLP files hold Linear, activation and Dropout layers`,
      );
    }
  });
  if (linears.length === 0) throw new RangeError("scalarTwin: the model has no Linear layer");
  linears.forEach((l, i) => {
    if (i > 0 && l.nin !== linears[i - 1].nout) {
      throw new RangeError(
        `scalarTwin: Linear ${i} takes ${l.nin} inputs but Linear ${i - 1} gives ${linears[i - 1].nout}`,
      );
    }
  });
  const mlp = new MLP(
    linears[0].nin,
    linears.map((l) => l.nout),
    { activation: activations },
  );
  linears.forEach((lin, l) => {
    mlp.layers[l].neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, i) => {
        w.data = lin.weight.data[i * lin.nout + j];
      });
      neuron.b.data = (lin.bias as NonNullable<Linear["bias"]>).data[j];
    });
  });
  return mlp;
}
