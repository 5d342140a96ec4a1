// The CNN bench in TensorFlow.js (wasm backend, one thread; cnn.mjs runs it): the default
// `train --dataset mnist --arch cnn` network in NHWC, tfjs's layout, from the same initial
// weights (transposed), on the same batches, shifts and learning rates; Adam with weight decay
// as an L2 term (its gradient is ours: wd · w); each step in tf.tidy, loss and batch accuracy
// read back.
//
// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so tf.conv2d's own gradient
// throws there. The convolution is tf.conv2d with a custom gradient: the input's by
// tf.conv2dTranspose (its Conv2DBackpropInput kernel), the filter's by the identity
// dW[i,j,c,o] = Σ x[n,y+i,x+j,c]·dy[n,y,x,o], itself one tf.conv2d of the transposed batch
// with dy as the filter; both run on the backend's XNNPACK convolution.

/** Returns `epoch(e)`, which runs epoch e's steps. */
export function tfCnn(tf, w, weights, shifts) {
  const nhwcConv = (p) => tf.transpose(tf.tensor(p.data, p.shape), [2, 3, 1, 0]); // [out,in,kh,kw] -> [kh,kw,in,out]
  // our flatten is NCHW (c, h, w); tfjs's is NHWC (h, w, c): the first linear layer's rows reorder
  const fc1 = (p) => {
    const [rows, cols] = p.shape;
    const channels = rows / 16;
    const out = new Float32Array(rows * cols);
    for (let c = 0; c < channels; c++)
      for (let s = 0; s < 16; s++)
        out.set(p.data.slice((c * 16 + s) * cols, (c * 16 + s + 1) * cols), (s * channels + c) * cols);
    return tf.tensor(out, p.shape);
  };
  const shape = [nhwcConv, null, null, nhwcConv, null, null, fc1, null, null, null, null];
  const vars = weights.map((p, i) => tf.variable(shape[i] ? shape[i](p) : tf.tensor(p.data, p.shape)));
  const [c1, g1, b1, c2, g2, b2, l1, g3, b3, l2, bias2] = vars;
  const running = [8, 16, 64].map((n) => ({
    mean: tf.variable(tf.zeros([n])),
    variance: tf.variable(tf.ones([n])),
  }));
  const x = tf.tensor(w.x.data, [w.x.shape[0], 28, 28, 1]);
  const xPadded = tf.reshape(
    tf.pad(x, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]),
    [-1],
  );
  const y = tf.tensor1d(w.y, "int32");
  const opt = tf.train.adam(w.lrs[0], 0.9, 0.999, 1e-8); // PyTorch's and our epsilon
  const wd = w.d.weightDecay;

  const filterGrad = (input, dy, filterShape) => {
    const xT = tf.transpose(input, [3, 1, 2, 0]); // [C, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [OH, OW, N, O]
    return tf.reshape(tf.transpose(tf.conv2d(xT, dyT, 1, "valid"), [1, 2, 0, 3]), filterShape);
  };
  const conv = (first) =>
    tf.customGrad((input, filter, save) => {
      save([input, filter]);
      return {
        value: tf.conv2d(input, filter, 1, "valid"),
        gradFunc: (dy, [xs, f]) => [
          first ? tf.zerosLike(xs) : tf.conv2dTranspose(dy, f, xs.shape, 1, "valid"),
          filterGrad(xs, dy, f.shape),
        ],
      };
    });
  const conv1 = conv(true);
  const conv2 = conv(false);
  const bn = (h, k, gamma, beta, axes) => {
    const { mean, variance } = tf.moments(h, axes);
    const n = h.size / mean.size;
    const r = running[k];
    r.mean.assign(tf.add(tf.mul(r.mean, 0.9), tf.mul(mean, 0.1)));
    r.variance.assign(tf.add(tf.mul(r.variance, 0.9), tf.mul(variance, 0.1 * (n / (n - 1)))));
    return tf.batchNorm(h, mean, variance, beta, gamma, 1e-5);
  };
  // pixel (y, x) of image i reads (y - dy, x - dx) of the zero-padded image: one gather
  const shiftIndex = (batch, s) => {
    const idx = new Int32Array(batch.length * 784);
    let o = 0;
    for (const [i, n] of batch.entries()) {
      const [dy, dx] = [s[2 * i], s[2 * i + 1]];
      for (let r = 0; r < 28; r++)
        for (let c = 0; c < 28; c++) idx[o++] = n * 900 + (r - dy + 1) * 30 + (c - dx + 1);
    }
    return idx;
  };

  const step = (k) => {
    opt.learningRate = w.lrs[k];
    const [loss, acc] = tf.tidy(() => {
      const batch = w.batches[k];
      const xb = tf.reshape(
        tf.gather(xPadded, tf.tensor1d(shiftIndex(batch, shifts[k]), "int32")),
        [-1, 28, 28, 1],
      );
      const yb = tf.gather(y, tf.tensor1d(batch, "int32"));
      let logits;
      let data; // the loss without the L2 term, as ours and PyTorch report it
      const cost = opt.minimize(
        () => {
          let h = tf.relu(bn(tf.maxPool(conv1(xb, c1), 2, 2, "valid"), 0, g1, b1, [0, 1, 2]));
          h = tf.relu(bn(tf.maxPool(conv2(h, c2), 2, 2, "valid"), 1, g2, b2, [0, 1, 2]));
          h = tf.relu(bn(tf.matMul(tf.reshape(h, [-1, 256]), l1), 2, g3, b3, [0]));
          logits = tf.keep(tf.add(tf.matMul(h, l2), bias2));
          data = tf.keep(tf.losses.softmaxCrossEntropy(tf.oneHot(yb, 10), logits));
          return tf.add(data, tf.mul(wd / 2, tf.addN(vars.map((v) => tf.sum(tf.square(v))))));
        },
        true,
        vars,
      );
      const right = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), yb), "float32"));
      tf.dispose([logits, cost]);
      return [data, right];
    });
    const out = [loss.dataSync()[0], acc.dataSync()[0]];
    tf.dispose([loss, acc]);
    return out;
  };
  return (e) => {
    const losses = [];
    for (let k = e * w.perEpoch; k < (e + 1) * w.perEpoch; k++) losses.push(step(k)[0]);
    return losses;
  };
}
