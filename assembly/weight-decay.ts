// Weight decay (L2, §6.4.2): 0.5·λ·ΣW² joins the loss and λ·W joins each dW.

import { LANES, BYTES } from "./lanes";

/**
 * Σ x² over n elements, accumulated in f64 in index order (a loss term, read once per call;
 * scalar on purpose: f64 accumulation keeps float32 weights' sum accurate, and it is not hot).
 */
export function sumOfSquares<T>(x: usize, n: i32): f64 {
  const S = BYTES<T>();
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<T>(x + <usize>i * S);
    s += v * v;
  }
  return s;
}

/** y += a · x (the book's `dW + weight_decay_lambda * W`, in place in the gradient block). */
export function addScaled<T>(y: usize, x: usize, a: f64, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const c = <T>a;
  const vc = v128.splat<T>(c);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(vc, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(y + o, load<T>(y + o) + c * load<T>(x + o));
  }
}
