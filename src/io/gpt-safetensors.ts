import { GPT, type GPTConfig } from "../nn/gpt.ts";
import { readSafetensors, writeSafetensors } from "./safetensors.ts";

// A GPT in nanoGPT's state_dict layout: the same names, and each linear weight as PyTorch's
// nn.Linear holds it, [out, in] (ours is [in, out]: a batch of rows times it).

/** The metadata key holding the model's shape (JSON of `GPTConfig`). */
const CONFIG_KEY = "micrograd-ts/gpt";

const isLinearWeight = (name: string): boolean => /(c_attn|c_proj|c_fc|lm_head)\.weight$/.test(name);

function transposed(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/**
 * The GPT as a safetensors file in nanoGPT's names and layout (float32), with its shape in the
 * metadata (and `extra` metadata, e.g. the tokenizer): PyTorch's nanoGPT-style `GPT` loads it
 * with `load_state_dict(strict=True)` (see scripts/torch-gpt.py).
 *
 * @example
 * writeFileSync("gpt.safetensors", saveGPTSafetensors(gpt));
 */
export function saveGPTSafetensors(model: GPT, extra: Readonly<Record<string, string>> = {}): Uint8Array {
  const tensors: Record<string, { dtype: "F32"; shape: number[]; data: ArrayLike<number> }> = {};
  for (const [name, p] of model.namedParameters()) {
    if (isLinearWeight(name)) {
      const [nin, nout] = p.shape;
      tensors[name] = { dtype: "F32", shape: [nout, nin], data: transposed(p.data, nin, nout) };
    } else tensors[name] = { dtype: "F32", shape: [...p.shape], data: p.data };
  }
  return writeSafetensors(tensors, { ...extra, [CONFIG_KEY]: JSON.stringify(model.config) });
}

/**
 * Reads back what `saveGPTSafetensors` wrote: the model, and the file's metadata.
 *
 * @example
 * const { model } = loadGPTSafetensors(readFileSync("gpt.safetensors"));
 */
export function loadGPTSafetensors(bytes: Uint8Array): { model: GPT; metadata: Record<string, string> } {
  const file = readSafetensors(bytes);
  const metadata = { ...file.metadata };
  const config = metadata[CONFIG_KEY];
  if (config === undefined)
    throw new Error(`GPT safetensors: no "${CONFIG_KEY}" metadata (not a GPT saved by micrograd-ts)`);
  const model = new GPT(JSON.parse(config) as GPTConfig);
  for (const [name, p] of model.namedParameters()) {
    const t = file.tensors[name];
    if (t === undefined) throw new Error(`GPT safetensors: missing tensor "${name}"`);
    const data = isLinearWeight(name) ? transposed(t.data, p.shape[1], p.shape[0]) : t.data;
    if (data.length !== p.size)
      throw new Error(
        `GPT safetensors: tensor "${name}" holds ${data.length} numbers, the model needs ${p.size}`,
      );
    p.data.set(data);
  }
  return { model, metadata };
}
