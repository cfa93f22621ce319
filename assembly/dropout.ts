// Dropout kernels (§6.4.3). The keep-mask itself comes from `fillBernoulliMask` (random.ts);
// these apply it. Outputs first, then inputs, then sizes; `n` counts elements.
import { LANES, BYTES } from "./lanes";

/** out = x · mask, elementwise: the book's forward `x * self.mask` and backward `dout * self.mask`. */
export function multiplyMask<T>(out: usize, x: usize, mask: usize, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(out + o, v128.mul<T>(v128.load(x + o), v128.load(mask + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(out + o, load<T>(x + o) * load<T>(mask + o));
  }
}

/** out = x · s: the book's test-mode `x * (1.0 - self.dropout_ratio)`. */
export function scaleBy<T>(out: usize, x: usize, s: f64, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const c = <T>s;
  const vc = v128.splat<T>(c);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(out + o, v128.mul<T>(v128.load(x + o), vc));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(out + o, load<T>(x + o) * c);
  }
}
