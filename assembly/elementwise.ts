// Elementwise kernels: activations, bias column sums, input checks. (The SGD update is in
// optimizers.ts, with the other update rules.)
// Outputs first, then inputs, then sizes. `n` counts elements, not bytes.
// Each kernel runs a v128 body and a scalar tail that computes the same per-element formula.
import { LANES, BYTES, expT } from "./lanes";
import { runElementwise, ELEMENTWISE_RELU_FORWARD, ELEMENTWISE_RELU_BACKWARD } from "./per-range";

/** out = max(x, 0), the book's `out[x <= 0] = 0` (NaN stays NaN, -0 becomes +0); big tensors over the threads. */
export function reluForward<T>(out: usize, x: usize, n: i32): void {
  runElementwise<T>(ELEMENTWISE_RELU_FORWARD, out, x, 0, n);
}

/** dx = dout where the forward output was positive, else 0 (the book's `dout[mask] = 0`); big tensors over the threads. */
export function reluBackward<T>(dx: usize, dout: usize, out: usize, n: i32): void {
  runElementwise<T>(ELEMENTWISE_RELU_BACKWARD, dx, dout, out, n);
}

/** reluForward of n elements on this thread. */
export function reluForwardRange<T>(out: usize, x: usize, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const zero = v128.splat<T>(0);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const v = v128.load(x + o);
    // bitselect instead of max so NaN and -0 behave exactly like the scalar tail below
    v128.store(out + o, v128.bitselect(v, zero, v128.gt<T>(v, zero)));
  }
  for (; i < n; i++) {
    const v = load<T>(x + <usize>i * S);
    store<T>(out + <usize>i * S, v > <T>0 ? v : <T>0);
  }
}

/** reluBackward of n elements on this thread. */
export function reluBackwardRange<T>(dx: usize, dout: usize, out: usize, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const zero = v128.splat<T>(0);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(dx + o, v128.bitselect(v128.load(dout + o), zero, v128.gt<T>(v128.load(out + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(dx + o, load<T>(out + o) > <T>0 ? load<T>(dout + o) : <T>0);
  }
}

/** out = 1 / (1 + exp(-x)); exp is scalar (no SIMD exp in wasm), the rest is trivial. */
export function sigmoidForward<T>(out: usize, x: usize, n: i32): void {
  const S = BYTES<T>();
  for (let i = 0; i < n; i++) {
    const o = <usize>i * S;
    store<T>(out + o, <T>1 / (<T>1 + expT<T>(-load<T>(x + o))));
  }
}

/** dx = dout * (1 - out) * out, in the book's order of operations. */
export function sigmoidBackward<T>(dx: usize, dout: usize, out: usize, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const one = v128.splat<T>(1);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const y = v128.load(out + o);
    v128.store(dx + o, v128.mul<T>(v128.mul<T>(v128.load(dout + o), v128.sub<T>(one, y)), y));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const y = load<T>(out + o);
    store<T>(dx + o, load<T>(dout + o) * (<T>1 - y) * y);
  }
}

/** db[j] = Σ_i dout[i, j] (np.sum(dout, axis=0)), summed in row order. */
export function columnSum<T>(db: usize, dout: usize, rows: i32, cols: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const rowBytes = <usize>cols * S;
  let j = 0;
  for (; j + L <= cols; j += L) {
    let acc = v128.splat<T>(0);
    let p = dout + <usize>j * S;
    for (let i = 0; i < rows; i++) {
      acc = v128.add<T>(acc, v128.load(p));
      p += rowBytes;
    }
    v128.store(db + <usize>j * S, acc);
  }
  for (; j < cols; j++) {
    let s: T = <T>0;
    let p = dout + <usize>j * S;
    for (let i = 0; i < rows; i++) {
      s += load<T>(p);
      p += rowBytes;
    }
    store<T>(db + <usize>j * S, s);
  }
}

/** Index of the first NaN or ±Infinity in x[0..n), or -1. (x - x is NaN exactly for those.) */
export function firstNonFinite<T>(x: usize, n: i32): i32 {
  const S = BYTES<T>();
  const L = LANES<T>();
  let i = 0;
  // v − v is NaN exactly for ±Inf and NaN; four vectors per test (one branch per 64 bytes:
  // the gemm dispatcher checks a whole weight matrix every call)
  for (; i + 4 * L <= n; i += 4 * L) {
    const p = x + <usize>i * S;
    const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
    const d0 = v128.sub<T>(v0, v0), d1 = v128.sub<T>(v1, v1), d2 = v128.sub<T>(v2, v2), d3 = v128.sub<T>(v3, v3);
    const bad = v128.or(v128.or(v128.ne<T>(d0, d0), v128.ne<T>(d1, d1)), v128.or(v128.ne<T>(d2, d2), v128.ne<T>(d3, d3)));
    if (v128.any_true(bad)) break; // locate the lane below
  }
  for (; i + L <= n; i += L) {
    const v = v128.load(x + <usize>i * S);
    const d = v128.sub<T>(v, v);
    if (v128.any_true(v128.ne<T>(d, d))) break; // locate the lane in the scalar loop
  }
  for (; i < n; i++) {
    const v = load<T>(x + <usize>i * S);
    const d = v - v;
    if (d != d) return i;
  }
  return -1;
}
