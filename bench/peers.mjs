// The JavaScript peers of the tensor workloads, each its fastest documented way:
//   TensorFlow.js: every step in tf.tidy, the update by its optimizer (minimize), loss read
//     back with dataSync; the wasm backend (XNNPACK) runs on one thread in Node (the backend's
//     getThreadsCount() says 1: no multithread support), the cpu backend is plain JS.
//   jax-js: the whole training step (value, gradients and update) in one jit, on its wasm
//     device (one thread), loss read back with await data().
// Each `*W2`/`*W3`/`*W4` returns a `step(k)` that does step k and reads its result back.
import { Rng, randn } from "../dist/index.js";
import { packageVersion } from "./rows.mjs";
import { registerTfjsGradients } from "./tfjs-gradients.mjs";

export const lrW2 = (k) => 1.0 - (0.9 * Math.min(k, 100)) / 100;

// ---------------------------------------------------------------- TensorFlow.js
let tfLoaded = null;

/** tfjs-core with its gradients and both backends registered; `backend` made current. */
export async function loadTf(backend) {
  if (!tfLoaded) {
    tfLoaded = (async () => {
      const tf = await import("@tensorflow/tfjs-core");
      await registerTfjsGradients();
      await import("@tensorflow/tfjs-backend-cpu");
      await import("@tensorflow/tfjs-backend-wasm");
      return tf;
    })();
  }
  const tf = await tfLoaded;
  await tf.setBackend(backend);
  await tf.ready();
  return tf;
}

export const tfVersion = () => packageVersion("@tensorflow/tfjs-core");

/** One tidy optimizer step of `lossFn` over `vars`; the loss read back. */
function tfStep(tf, opt, vars, lossFn) {
  const cost = tf.tidy(() => opt.minimize(lossFn, true, vars));
  const v = cost.dataSync()[0];
  cost.dispose();
  return v;
}

function tfMlp(tf, vars, x) {
  const [w1, b1, w2, b2, w3, b3] = vars;
  const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
  const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
  return tf.add(tf.matMul(h2, w3), b3);
}

export function tfW2(tf, w) {
  const vars = w.weights.map((p) => tf.variable(tf.tensor(p.data, p.shape)));
  const x = tf.tensor(w.x, [100, 2]);
  const y = tf.tensor(w.y, [100, 1]);
  const opt = tf.train.sgd(1.0);
  return (k) => {
    opt.setLearningRate(lrW2(k));
    return tfStep(tf, opt, vars, () => {
      const s = tfMlp(tf, vars, x);
      const data = tf.mean(tf.relu(tf.sub(1, tf.mul(y, s))));
      return tf.add(data, tf.mul(1e-4, tf.addN(vars.map((v) => tf.sum(tf.square(v))))));
    });
  };
}

export function tfW3(tf, w) {
  const vars = w.weights.map((p) => tf.variable(tf.tensor(p.data, p.shape)));
  const x = tf.tensor(w.x, [128, 784]);
  const y = tf.oneHot(tf.tensor1d(w.y, "int32"), 10);
  const opt = tf.train.sgd(0.01);
  return () => tfStep(tf, opt, vars, () => tf.losses.softmaxCrossEntropy(y, tfMlp(tf, vars, x)));
}

export function tfW4(tf, n) {
  const rng = new Rng(1);
  const a = tf.tensor(randn([n, n], { rng }).data, [n, n]);
  const b = tf.tensor(randn([n, n], { rng }).data, [n, n]);
  return () => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  };
}

// ---------------------------------------------------------------- jax-js
export async function loadJax() {
  const jax = await import("@jax-js/jax");
  await jax.init("wasm");
  jax.defaultDevice("wasm");
  return jax;
}

export const jaxVersion = () => packageVersion("@jax-js/jax");

function jaxParams(jax, weights) {
  const np = jax.numpy;
  return weights.map((p) => np.array(Float32Array.from(p.data)).reshape(p.shape));
}

function jaxMlp(jax, p, x) {
  const { numpy: np, nn } = jax;
  const h1 = nn.relu(np.matmul(x, p[0]).add(p[1]));
  const h2 = nn.relu(np.matmul(h1, p[2]).add(p[3]));
  return np.matmul(h2, p[4]).add(p[5]);
}

/** The whole step jitted: loss and gradients of `lossFn`, and the SGD update at rate `lr`. */
function jaxTrain(jax, weights, lossFn, x, lr) {
  const { numpy: np, tree, jit, valueAndGrad } = jax;
  let params = jaxParams(jax, weights);
  const step = jit((p, xs, rate) => {
    const [loss, grads] = valueAndGrad(lossFn)(tree.ref(p), xs);
    const next = tree.map((w, g) => w.sub(g.mul(rate.ref)), p, grads);
    rate.dispose();
    return [loss, next];
  });
  return async (k) => {
    const [loss, next] = step(params, x.ref, np.array(lr(k)));
    params = next;
    return (await loss.data())[0];
  };
}

export function jaxW2(jax, w) {
  const { numpy: np, nn } = jax;
  const y = np.array(Float32Array.from(w.y)).reshape([100, 1]);
  const x = np.array(Float32Array.from(w.x)).reshape([100, 2]);
  const lossFn = (p, xs) => {
    const s = jaxMlp(
      jax,
      p.map((v) => v.ref),
      xs,
    );
    const data = nn.relu(s.mul(y.ref).mul(-1).add(1)).mean();
    const reg = p.map((v) => np.square(v).sum()).reduce((a, b) => a.add(b));
    return data.add(reg.mul(1e-4));
  };
  return jaxTrain(jax, w.weights, lossFn, x, lrW2);
}

export function jaxW3(jax, w) {
  const { numpy: np, nn } = jax;
  const onehot = np
    .array(Float32Array.from(w.y.flatMap((t) => Array.from({ length: 10 }, (_, c) => (c === t ? 1 : 0)))))
    .reshape([128, 10]);
  const x = np.array(Float32Array.from(w.x)).reshape([128, 784]);
  const lossFn = (p, xs) =>
    nn
      .logSoftmax(jaxMlp(jax, p, xs), -1)
      .mul(onehot.ref)
      .sum()
      .mul(-1 / 128);
  return jaxTrain(jax, w.weights, lossFn, x, () => 0.01);
}

export function jaxW4(jax, n) {
  const { numpy: np } = jax;
  const rng = new Rng(1);
  const a = np.array(randn([n, n], { rng }).data).reshape([n, n]);
  const b = np.array(randn([n, n], { rng }).data).reshape([n, n]);
  return async () => {
    await np.matmul(a.ref, b.ref).data();
  };
}

/**
 * W5 in TensorFlow.js: the default MNIST model from the same initial weights, on the same batches
 * and learning rates; Adam (its weight decay as an L2 term, whose gradient is ours: wd · w),
 * dropout 0.2; loss and batch accuracy read back each step. Returns `epoch(e)`.
 */
export function tfW5(tf, w, weights) {
  const vars = weights.map((p) => tf.variable(tf.tensor(p.data, p.shape)));
  const [w1, b1, w2, b2] = vars;
  const x = tf.tensor(w.x.data, [w.x.shape[0], 784]);
  const y = tf.tensor1d(w.y, "int32");
  const opt = tf.train.adam(w.lrs[0]);
  const wd = w.d.weightDecay;
  const step = (k) => {
    opt.learningRate = w.lrs[k];
    const [loss, acc] = tf.tidy(() => {
      const ix = tf.tensor1d(w.batches[k], "int32");
      const xb = tf.gather(x, ix);
      const yb = tf.gather(y, ix);
      let logits;
      const cost = opt.minimize(
        () => {
          const h = tf.dropout(tf.relu(tf.add(tf.matMul(xb, w1), b1)), w.d.dropout);
          logits = tf.keep(tf.add(tf.matMul(h, w2), b2));
          const data = tf.losses.softmaxCrossEntropy(tf.oneHot(yb, 10), logits);
          return tf.add(data, tf.mul(wd / 2, tf.addN(vars.map((v) => tf.sum(tf.square(v))))));
        },
        true,
        vars,
      );
      const right = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), yb), "float32"));
      logits.dispose(); // kept through minimize, which disposes what its function made
      return [cost, right];
    });
    const out = [loss.dataSync()[0], acc.dataSync()[0]];
    tf.dispose([loss, acc]);
    return out;
  };
  return (e) => {
    for (let k = e * w.perEpoch; k < (e + 1) * w.perEpoch; k++) step(k);
  };
}
