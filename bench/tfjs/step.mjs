// TensorFlow.js 4.22 peer: the book's TwoLayerNet step (forward, SoftmaxWithLoss, the backward
// pass written out as in the book's layers, SGD) and the 70 000-row accuracy pass, on the `wasm`
// backend (SIMD, one thread: Node gets no threaded build here) and the plain-JS `cpu` backend.
// Installed for the bench only (bench/tfjs/package.json), never a dependency of the library.
//
// Why a manual backward instead of tf.grads: it is the same arithmetic the book and scratchnet do
// (no dx for the first layer, relu mask from h > 0), so the comparison is op-for-op; tf.grads
// would add the tape bookkeeping on top (slower, not a fairer peer).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setThreadsCount, getThreadsCount } from "@tensorflow/tfjs-backend-wasm";

// Production mode: tfjs skips its debug-time checks (and the "install tfjs-node" banner), as a
// user who cares about speed would run it.
tf.enableProdMode();
export const TFJS_VERSION = tf.version_core;
let wasmConfigured = false;

/** Make `name` ('wasm' | 'cpu') the active backend; the wasm backend is pinned to one thread. */
export async function useBackend(name) {
  if (name === "wasm" && !wasmConfigured) {
    // In Node the threaded build would need a Worker setup tfjs does not ship: force the
    // single-threaded SIMD binary, and say so explicitly rather than rely on detection.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    setThreadsCount(1);
    wasmConfigured = true;
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: backend '${name}' failed to initialise`);
  await tf.ready();
  return {
    backend: tf.getBackend(),
    threads: name === "wasm" ? getThreadsCount() : 1,
    simd: name === "wasm" ? tf.env().getBool("WASM_HAS_SIMD_SUPPORT") : false,
  };
}

export class TfjsTwoLayerNet {
  /**
   * Create after `useBackend`: every tensor lives on the backend active at construction.
   * @param init { W1, b1, W2, b2 } starting values (flat arrays)
   * @param batches [{ x: Float32Array [batch×784], t: Int32Array [batch] }] step minibatches
   */
  constructor(init, recipe, batches) {
    const { inputSize: D, hiddenSize: H, outputSize: C } = recipe;
    this.recipe = recipe;
    this.W1 = tf.variable(tf.tensor2d(Float32Array.from(init.W1), [D, H]));
    this.b1 = tf.variable(tf.tensor1d(Float32Array.from(init.b1)));
    this.W2 = tf.variable(tf.tensor2d(Float32Array.from(init.W2), [H, C]));
    this.b2 = tf.variable(tf.tensor1d(Float32Array.from(init.b2)));
    this.lr = tf.scalar(recipe.learningRate);
    this.batches = batches.map(({ x, t }) => ({
      x: tf.tensor2d(x, [t.length, D]),
      t: tf.cast(tf.oneHot(tf.tensor1d(t, "int32"), C), "float32"),
    }));
    this.next = 0;
  }

  /** One step on the next minibatch; the loss stays on the backend (not read back), as the book discards it. */
  step() {
    const { x, t } = this.batches[this.next++ % this.batches.length];
    tf.tidy(() => {
      const N = x.shape[0];
      const h = tf.add(tf.matMul(x, this.W1), this.b1);
      const a = tf.relu(h);
      const y = tf.softmax(tf.add(tf.matMul(a, this.W2), this.b2));
      tf.neg(tf.mean(tf.sum(tf.mul(t, tf.log(tf.add(y, 1e-7))), 1))); // SoftmaxWithLoss.forward
      const dy = tf.div(tf.sub(y, t), N);
      const dW2 = tf.matMul(a, dy, true, false);
      const db2 = tf.sum(dy, 0);
      const dh = tf.mul(tf.matMul(dy, this.W2, false, true), tf.step(h));
      const dW1 = tf.matMul(x, dh, true, false);
      const db1 = tf.sum(dh, 0);
      this.W1.assign(tf.sub(this.W1, tf.mul(this.lr, dW1)));
      this.b1.assign(tf.sub(this.b1, tf.mul(this.lr, db1)));
      this.W2.assign(tf.sub(this.W2, tf.mul(this.lr, dW2)));
      this.b2.assign(tf.sub(this.b2, tf.mul(this.lr, db2)));
    });
  }

  /** Loss of the first step batch, read back (to check the implementation learns). */
  loss() {
    const { x, t } = this.batches[0];
    return tf.tidy(() => {
      const y = tf.softmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, this.W1), this.b1)), this.W2), this.b2));
      return tf.neg(tf.mean(tf.sum(tf.mul(t, tf.log(tf.add(y, 1e-7))), 1)));
    }).dataSync()[0];
  }

  /**
   * Prepare the accuracy pass: the 70 000 uint8 rows become float tensors of `chunk` rows once,
   * outside the timing (as the book's x_train is already float). Returns the pass function.
   */
  prepareEval(images, labels, count, chunk) {
    const D = this.recipe.inputSize;
    const chunks = [];
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const x = new Float32Array(n * D);
      for (let i = 0; i < n * D; i++) x[i] = images[start * D + i] / 255;
      chunks.push({ x: tf.tensor2d(x, [n, D]), labels: tf.tensor1d(Int32Array.from(labels.subarray(start, start + n)), "int32") });
    }
    return () => {
      let correct = 0;
      for (const c of chunks) {
        correct += tf.tidy(() => {
          const s = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(c.x, this.W1), this.b1)), this.W2), this.b2);
          return tf.sum(tf.cast(tf.equal(tf.argMax(s, 1), c.labels), "int32"));
        }).dataSync()[0];
      }
      return correct;
    };
  }
}
