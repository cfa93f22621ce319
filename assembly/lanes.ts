// Compile-time helpers shared by every kernel. `T` is f32 or f64; a v128 holds
// LANES<T>() of them (4 or 2). All pointers are byte addresses in linear memory.

/** Elements per v128 register: 4 for f32, 2 for f64. */
// @ts-ignore: decorator
@inline export function LANES<T>(): i32 {
  return 16 / sizeof<T>();
}

/** Bytes per element. */
// @ts-ignore: decorator
@inline export function BYTES<T>(): usize {
  return sizeof<T>();
}

/** Sum of the lanes of `v`, always lane 0 first, so every path that ends in hsum rounds alike. */
// @ts-ignore: decorator
@inline export function hsum<T>(v: v128): T {
  if (sizeof<T>() == 4) {
    return <T>(v128.extract_lane<f32>(v, 0) + v128.extract_lane<f32>(v, 1)
      + v128.extract_lane<f32>(v, 2) + v128.extract_lane<f32>(v, 3));
  }
  return <T>(v128.extract_lane<f64>(v, 0) + v128.extract_lane<f64>(v, 1));
}

/** exp in the element type: f32 math for f32 (as numpy float32 does), f64 otherwise. */
// @ts-ignore: decorator
@inline export function expT<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.exp(<f32>x);
  return <T>Math.exp(<f64>x);
}

/** Natural log in the element type. */
// @ts-ignore: decorator
@inline export function logT<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>Mathf.log(<f32>x);
  return <T>Math.log(<f64>x);
}
