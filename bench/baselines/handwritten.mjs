// The honest plain-JS peer: the book's TwoLayerNet step (Affine → Relu → Affine → SoftmaxWithLoss,
// gradient + SGD) written by hand over Float32Arrays, with every buffer allocated once. Three
// loop styles for the matrix products, because which one wins in V8 is not obvious (the issue's
// prototype found i-k-j *slower* than naive: `C[j] += a*B[j]` on a Float32Array rounds through
// memory each time, a local accumulator does not):
//   naive       i-j-k, one local accumulator per C[i,j], strided reads of B
//   ikj         C[i,:] += A[i,k] · B[k,:], contiguous inner loop, C stored every k
//   transposedB B (and Aᵀ where needed) copied transposed, then C[i,j] = dot of two contiguous rows;
//               the transpose copies are part of the step, as they would be in real code
// Math.exp/Math.log are what a hand-writer would use; this file feeds no scratchnet result.

// ---- matrix products: C[M×N] = A·B, Aᵀ·B (A stored [K×M]) and A·Bᵀ (B stored [N×K]) ----

const naive = {
  ab(C, A, B, M, N, K) {
    for (let i = 0; i < M; i++) {
      const a0 = i * K;
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[a0 + k] * B[k * N + j];
        C[i * N + j] = s;
      }
    }
  },
  atb(C, A, B, M, N, K) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[k * M + i] * B[k * N + j];
        C[i * N + j] = s;
      }
    }
  },
  abt(C, A, B, M, N, K) {
    for (let i = 0; i < M; i++) {
      const a0 = i * K;
      for (let j = 0; j < N; j++) {
        const b0 = j * K;
        let s = 0;
        for (let k = 0; k < K; k++) s += A[a0 + k] * B[b0 + k];
        C[i * N + j] = s;
      }
    }
  },
};

const ikj = {
  ab(C, A, B, M, N, K) {
    C.fill(0, 0, M * N);
    for (let i = 0; i < M; i++) {
      const c0 = i * N;
      for (let k = 0; k < K; k++) {
        const a = A[i * K + k];
        if (a === 0) continue; // relu zeros and blank pixels: the obvious hand-written shortcut
        const b0 = k * N;
        for (let j = 0; j < N; j++) C[c0 + j] += a * B[b0 + j];
      }
    }
  },
  atb(C, A, B, M, N, K) {
    C.fill(0, 0, M * N);
    for (let i = 0; i < M; i++) {
      const c0 = i * N;
      for (let k = 0; k < K; k++) {
        const a = A[k * M + i];
        if (a === 0) continue;
        const b0 = k * N;
        for (let j = 0; j < N; j++) C[c0 + j] += a * B[b0 + j];
      }
    }
  },
  abt(C, A, B, M, N, K) {
    C.fill(0, 0, M * N);
    for (let i = 0; i < M; i++) {
      const c0 = i * N;
      for (let k = 0; k < K; k++) {
        const a = A[i * K + k];
        if (a === 0) continue;
        for (let j = 0; j < N; j++) C[c0 + j] += a * B[j * K + k];
      }
    }
  },
};

function transpose(out, src, rows, cols) {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
}

/** C[i,j] = Σ_k A[i,k]·Bt[j,k], both operands row-contiguous. */
function dotRows(C, A, Bt, M, N, K) {
  for (let i = 0; i < M; i++) {
    const a0 = i * K;
    for (let j = 0; j < N; j++) {
      const b0 = j * K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // four chains: hides the add latency
      let k = 0;
      for (; k + 4 <= K; k += 4) {
        s0 += A[a0 + k] * Bt[b0 + k];
        s1 += A[a0 + k + 1] * Bt[b0 + k + 1];
        s2 += A[a0 + k + 2] * Bt[b0 + k + 2];
        s3 += A[a0 + k + 3] * Bt[b0 + k + 3];
      }
      for (; k < K; k++) s0 += A[a0 + k] * Bt[b0 + k];
      C[i * N + j] = s0 + s1 + s2 + s3;
    }
  }
}

/** Needs two scratch buffers big enough for the largest transposed operand. */
function makeTransposedB(maxElems) {
  const ta = new Float32Array(maxElems), tb = new Float32Array(maxElems);
  return {
    ab(C, A, B, M, N, K) { transpose(tb, B, K, N); dotRows(C, A, tb, M, N, K); },
    atb(C, A, B, M, N, K) { transpose(ta, A, K, M); transpose(tb, B, K, N); dotRows(C, ta, tb, M, N, K); },
    abt(C, A, B, M, N, K) { dotRows(C, A, B, M, N, K); },
  };
}

export const LOOP_STYLES = ["naive", "ikj", "transposedB"];

// ---- the net ----

export class HandwrittenTwoLayerNet {
  /**
   * @param init { W1, b1, W2, b2 } initial values (any array type; copied to Float32Array)
   * @param style one of LOOP_STYLES
   */
  constructor(init, { inputSize, hiddenSize, outputSize, batchSize, evalChunk = 1000 }, style = "naive") {
    if (!LOOP_STYLES.includes(style)) throw new Error(`HandwrittenTwoLayerNet: unknown loop style '${style}' (one of ${LOOP_STYLES.join(", ")})`);
    const D = inputSize, H = hiddenSize, C = outputSize, rows = Math.max(batchSize, evalChunk);
    Object.assign(this, { D, H, C, style });
    this.W1 = Float32Array.from(init.W1); this.b1 = Float32Array.from(init.b1);
    this.W2 = Float32Array.from(init.W2); this.b2 = Float32Array.from(init.b2);
    this.dW1 = new Float32Array(D * H); this.db1 = new Float32Array(H);
    this.dW2 = new Float32Array(H * C); this.db2 = new Float32Array(C);
    this.h = new Float32Array(rows * H); // Affine1 output, Relu in place (the mask is h > 0)
    this.s = new Float32Array(rows * C); // scores, then softmax y, then dy
    this.dh = new Float32Array(rows * H);
    this.x = new Float32Array(evalChunk * D); // uint8 → float conversion buffer of the eval pass
    this.gemm = style === "naive" ? naive : style === "ikj" ? ikj : makeTransposedB(Math.max(D * batchSize, D * H, rows * H));
  }

  /** Scores for N rows of x into this.s (h keeps the relu output). */
  predict(x, N) {
    const { D, H, C, h, s } = this;
    this.gemm.ab(h, x, this.W1, N, H, D);
    for (let i = 0; i < N; i++) for (let j = 0; j < H; j++) {
      const v = h[i * H + j] + this.b1[j];
      h[i * H + j] = v > 0 ? v : 0;
    }
    this.gemm.ab(s, h, this.W2, N, C, H);
    for (let i = 0; i < N; i++) for (let j = 0; j < C; j++) s[i * C + j] += this.b2[j];
  }

  /** One training step: loss + gradient by backprop, then SGD. Returns the batch loss. */
  step(x, t, N, lr) {
    const { D, H, C, h, s, dh } = this;
    this.predict(x, N);
    // SoftmaxWithLoss forward (max-shifted) and backward: dy = (y - onehot(t)) / N, in place in s
    let loss = 0;
    for (let i = 0; i < N; i++) {
      const o = i * C;
      let max = s[o];
      for (let j = 1; j < C; j++) if (s[o + j] > max) max = s[o + j];
      let sum = 0;
      for (let j = 0; j < C; j++) { const e = Math.exp(s[o + j] - max); s[o + j] = e; sum += e; }
      for (let j = 0; j < C; j++) s[o + j] /= sum;
      loss -= Math.log(s[o + t[i]] + 1e-7);
      s[o + t[i]] -= 1;
      for (let j = 0; j < C; j++) s[o + j] /= N;
    }
    // Affine2 backward: dW2 = hᵀ·dy, db2 = Σ dy, dh = dy·W2ᵀ masked by relu
    this.gemm.atb(this.dW2, h, s, H, C, N);
    columnSum(this.db2, s, N, C);
    this.gemm.abt(dh, s, this.W2, N, H, C);
    for (let i = 0; i < N * H; i++) if (h[i] <= 0) dh[i] = 0;
    // Affine1 backward (no dx: nothing consumes it): dW1 = xᵀ·dh, db1 = Σ dh
    this.gemm.atb(this.dW1, x, dh, D, H, N);
    columnSum(this.db1, dh, N, H);
    sgd(this.W1, this.dW1, lr); sgd(this.b1, this.db1, lr);
    sgd(this.W2, this.dW2, lr); sgd(this.b2, this.db2, lr);
    return loss / N;
  }

  /** Correct predictions over `count` uint8 rows (÷255 on the fly, `evalChunk` rows at a time). */
  countCorrect(images, labels, count) {
    const { D, C, s, x } = this;
    const chunk = x.length / D;
    let correct = 0;
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const src = images.subarray(start * D, (start + n) * D);
      for (let i = 0; i < n * D; i++) x[i] = src[i] / 255;
      this.predict(x, n);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let j = 1; j < C; j++) if (s[i * C + j] > s[i * C + best]) best = j;
        if (best === labels[start + i]) correct++;
      }
    }
    return correct;
  }
}

function columnSum(out, m, rows, cols) {
  out.fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += m[i * cols + j];
}

function sgd(p, g, lr) {
  for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
}
