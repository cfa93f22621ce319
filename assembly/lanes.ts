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

/** `bytes` rounded up to whole vectors (16 bytes), so what follows starts aligned. */
// @ts-ignore: decorator
@inline export function align16(bytes: usize): usize {
  return (bytes + 15) & ~<usize>15;
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

// Loads/stores of the first r lanes of a vector (r == LANES: a plain v128 access). After
// inlining with a constant r every branch below folds away.
// @ts-ignore: decorator
@inline export function loadPart<T>(p: usize, r: i32): v128 {
  if (r == LANES<T>()) return v128.load(p);
  if (sizeof<T>() == 8) return v128.load64_zero(p);
  if (r == 1) return v128.load32_zero(p);
  if (r == 2) return v128.load64_zero(p);
  return v128.load32_lane(p, v128.load64_zero(p), 2, 8);
}

// @ts-ignore: decorator
@inline export function storePart<T>(p: usize, v: v128, r: i32): void {
  if (r == LANES<T>()) { v128.store(p, v); return; }
  if (sizeof<T>() == 8) { v128.store64_lane(p, v, 0); return; }
  if (r == 1) { v128.store32_lane(p, v, 0); return; }
  v128.store64_lane(p, v, 0);
  if (r == 3) v128.store32_lane(p, v, 2, 8);
}

/** The first `lanes` lanes of v down one column: into consecutive rows, rowC bytes apart. */
// @ts-ignore: decorator
@inline export function storeDown<T>(p: usize, rowC: usize, v: v128, lanes: i32): void {
  if (sizeof<T>() == 4) {
    v128.store32_lane(p, v, 0);
    if (lanes > 1) v128.store32_lane(p + rowC, v, 1);
    if (lanes > 2) v128.store32_lane(p + 2 * rowC, v, 2);
    if (lanes > 3) v128.store32_lane(p + 3 * rowC, v, 3);
  } else {
    v128.store64_lane(p, v, 0);
    if (lanes > 1) v128.store64_lane(p + rowC, v, 1);
  }
}

/** The epilogue every vector path shares: + bias (if any), then ReLU (if asked). */
// @ts-ignore: decorator
@inline export function finish<T>(c: v128, bv: v128, hasBias: bool, relu: bool): v128 {
  if (hasBias) c = v128.add<T>(c, bv);
  if (relu) {
    const zero = v128.splat<T>(0);
    c = v128.bitselect(c, zero, v128.gt<T>(c, zero)); // reluForward's formula, bit for bit
  }
  return c;
}

/**
 * acc + a·b, the step of every product. Fixed SIMD (the default builds): a multiply, then an add,
 * each rounded — the same bits on every machine. The relaxed builds (asconfig "relaxed*",
 * init({ simd: "relaxed" })) use relaxed_madd, which the engine may fuse into one rounding where
 * the CPU has FMA: faster, but other bits, possibly different on another machine.
 */
// @ts-ignore: decorator
@inline export function madd<T>(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, acc);
  return v128.add<T>(acc, v128.mul<T>(a, b));
}
