// The accuracy pass's dense rows in integers, each row's class proved to be the float path's.
//
// Only the count of correct rows leaves an accuracy pass (twolayer-eval.ts), so a row needs its
// predicted class, not its scores' bits. The pixels are bytes; with W1 rounded per column to
// integers (W1 ≈ q·s, |q| ≤ qMax), x·W1 is an exact integer product (int-products.ts: eight
// multiply-adds per instruction where the float tile does four per two, and no conversion of
// the bytes). The scores computed from it here, in f64, differ from the float path's by at most
// E per class, a bound built from
//   - W1's rounding, measured: |q·s − W1| ≤ ρ per column;
//   - the float path's own rounding: |fl(Σ) − Σ| ≤ γ(n)·Σ|terms|, γ(n) = n·u/(1 − n·u), u = 2^-24,
//     whatever the summation order (zero skipping and fused multiply-adds only round less), with
//     Σ_k v_k·|W1_kj| ≤ min(X·max|W1_j|, ‖v‖·‖W1_j‖) (X = Σ v, v the row's inputs, all ≥ 0);
//   - margins for this file's own f64 arithmetic and for underflow.
// When the top class's lower bound beats every other class's upper bound, the float path's
// first maximum is that class (strictly: the tie rule never matters). Otherwise the row goes the
// float way (twolayer-eval.ts): 0.5–2 % of Fashion-MNIST's dense rows once trained, 4–11 % at
// random initial weights, whose scores are all close. test/unit/train/proven-accuracy.test.ts
// checks every row's class against the float path's, near-ties included.
//
// Float32 only (the float64 path is for checks), ReLU only (the sigmoid's nets go the float way).
import { pixelPairs, columnBlocks, blockBytes, storeWeight } from "./int-products";
import { align16 } from "./lanes";

/** Unit roundoff of float32. */
const U: f64 = 5.960464477539063e-8;
/** Underflow: every rounding below float32's normal range errs by ≤ 2^-150; this covers thousands of them. */
const ETA: f64 = 1.1754943508222875e-38;
/** This file's own f64 rounding (≤ ~1e-14 relative), absorbed with room to spare. */
const F64_SLACK: f64 = 1e-13;
/** And the rounding of the bounds' own products and sums. */
const GROW: f64 = 1 + 1e-9;
/** Weights beyond this go the float way: no float32 sum can overflow, and the bounds stay finite. */
const LARGEST_WEIGHT: f64 = 1e10;
/** Row lengths beyond this go the float way (a row's sum of squared bytes must fit int32). */
const LONGEST_ROW: i32 = 33000;

/** Rows this instance's passes proved since the last call (a statistic for tests and benchmarks). */
let PROVEN: i32 = 0;

/** The rows proved by this thread's passes since the last call, and start counting again. */
export function provenRows(): i32 {
  const n = PROVEN;
  PROVEN = 0;
  return n;
}

/** Count `n` more proved rows. */
export function countProven(n: i32): void {
  PROVEN += n;
}

// @ts-ignore: decorator
@inline function evenClasses(C: i32): i32 { return (C + 1) & ~1; }

// The per-pass block at q, f64 (Ce = C rounded up to even, for f64x2 pairs of classes):
//   per hidden unit [H]: s (W1's scale), b1, T = 128·Σ_k q_kj (x' = x − 128 is added back), ρ, m = max|W1_j|, n = ‖W1_j‖
//   per class [Ce]: Pr, Pm, Pn, Q (E's part from h's bounds), R, K (its own rounding), b2
//   W2 [H×Ce], each row padded to Ce; then the packed integer weights (int-products.ts)
const HIDDEN_ARRAYS = 6, CLASS_ARRAYS = 7;

// @ts-ignore: decorator
@inline function constantsBytes(H: i32, C: i32): usize {
  const Ce = evenClasses(C);
  return align16(<usize>(HIDDEN_ARRAYS * H + CLASS_ARRAYS * Ce + H * Ce) * 8);
}

/** Bytes of the per-pass block (quantizeTwoLayer). */
export function integerBlockBytes(D: i32, H: i32, C: i32): usize {
  return constantsBytes(H, C) + <usize>columnBlocks(H) * blockBytes(D);
}

/** Where the packed integer weights of the block at q start. */
export function integerPanels(q: usize, H: i32, C: i32): usize {
  return q + constantsBytes(H, C);
}

/** Bytes of a row's f64 work space for provenClass: its scores [Ce]. */
// @ts-ignore: decorator
@inline export function provenWorkBytes(C: i32): usize {
  return <usize>evenClasses(C) << 3;
}

/** f64 array `i` of the block at q (hidden arrays first, then class arrays, then W2). */
// @ts-ignore: decorator
@inline function hiddenArray(q: usize, H: i32, i: i32): usize { return q + (<usize>(i * H) << 3); }
// @ts-ignore: decorator
@inline function classArray(q: usize, H: i32, C: i32, i: i32): usize { return q + (<usize>(HIDDEN_ARRAYS * H + i * evenClasses(C)) << 3); }

/**
 * Round W1 [D×H] to integers per column and write the bounds' constants and the packed integer
 * weights at `q` (16-byte aligned, integerBlockBytes). Returns false — and the pass goes the
 * float way — when a weight or bias is not finite or beyond LARGEST_WEIGHT, or D is too long.
 */
export function quantizeTwoLayer(q: usize, W1: usize, b1: usize, W2: usize, b2: usize, D: i32, H: i32, C: i32): bool {
  if (D > LONGEST_ROW) return false;
  // |Σ_k x'_k·q_kj| ≤ 2·pairs·128·qMax must fit int32 (x' = byte − 128)
  const limit = <f64>2147483647 / (128 * <f64>(2 * pixelPairs(D)));
  const qMax: i32 = limit < 32767 ? <i32>limit : 32767;
  if (!allModest(b1, H) || !allModest(W2, H * C) || !allModest(b2, C)) return false; // W1: in its columns' pass below
  const Ce = evenClasses(C);
  const s = hiddenArray(q, H, 0), bias1 = hiddenArray(q, H, 1), T = hiddenArray(q, H, 2);
  const rhos = hiddenArray(q, H, 3), maxes = hiddenArray(q, H, 4), norms = hiddenArray(q, H, 5);
  const W2d = classArray(q, H, C, CLASS_ARRAYS);
  const panels = integerPanels(q, H, C);
  for (let j = 0; j < H; j++) {
    let m: f64 = 0, squares: f64 = 0;
    for (let k = 0; k < D; k++) {
      const v = <f64>weight(W1, k, j, H);
      m = max(m, abs<f64>(v));
      squares += v * v;
    }
    if (!(m <= LARGEST_WEIGHT)) return false; // NaN fails too (max passes it on)
    const sj = m / <f64>qMax, inverse = m > 0 ? <f64>qMax / m : 0; // |v·inverse| ≤ qMax: rounds to at most qMax
    let rho: f64 = 0, qSum: f64 = 0;
    for (let k = 0; k < D; k++) {
      const v = <f64>weight(W1, k, j, H);
      const qk = nearest<f64>(v * inverse); // any integer would do: ρ is measured
      rho = max(rho, abs<f64>(qk * sj - v));
      qSum += qk;
      storeWeight(panels, D, k, j, <i32>qk);
    }
    if ((D & 1) != 0) storeWeight(panels, D, D, j, 0);
    store<f64>(s + (<usize>j << 3), sj);
    store<f64>(bias1 + (<usize>j << 3), <f64>load<f32>(b1 + (<usize>j << 2)));
    store<f64>(T + (<usize>j << 3), 128 * qSum); // an integer below 2^53: exact
    store<f64>(rhos + (<usize>j << 3), rho);
    store<f64>(maxes + (<usize>j << 3), m);
    store<f64>(norms + (<usize>j << 3), sqrt<f64>(squares) * GROW);
    for (let c = 0; c < Ce; c++) store<f64>(W2d + (<usize>(j * Ce + c) << 3), c < C ? <f64>load<f32>(W2 + (<usize>(j * C + c) << 2)) : 0);
  }
  for (let j = H; j < columnBlocks(H) * 4; j++) { // the last block's missing columns: zero weights
    for (let k = 0; k < 2 * pixelPairs(D); k++) storeWeight(panels, D, k, j, 0);
  }
  classConstants(q, b1, W2, b2, D, H, C);
  return true;
}

/**
 * E_c = (X·Pr + min(X·Pm, V·Pn) + Q) + R·Σh̃ + K for a row with inputs summing to X, of norm V:
 *   h's bound per hidden unit j: X·(ρ + ε(m + ρ)) + g1·min(X·m, V·n) + g1·|b1| + η (ReLU keeps it),
 *   summed through |W2_jc| (Σ a·min(x, y) ≤ min(Σ a·x, Σ a·y)), then grown by (1 + g2) for the
 *   second product's rounding, plus g2·(Σh̃·max|W2_c| + |b2_c|); g1 = γ(D + 2), g2 = γ(H + 1).
 */
function classConstants(q: usize, b1: usize, W2: usize, b2: usize, D: i32, H: i32, C: i32): void {
  const g1 = gamma(D + 2) + F64_SLACK, g2 = gamma(H + 1) + F64_SLACK;
  const rhos = hiddenArray(q, H, 3), maxes = hiddenArray(q, H, 4), norms = hiddenArray(q, H, 5);
  const Pr = classArray(q, H, C, 0), Pm = classArray(q, H, C, 1), Pn = classArray(q, H, C, 2), Q = classArray(q, H, C, 3);
  const R = classArray(q, H, C, 4), K = classArray(q, H, C, 5), bias2 = classArray(q, H, C, 6);
  for (let c = 0; c < evenClasses(C); c++) {
    let pr: f64 = 0, pm: f64 = 0, pn: f64 = 0, qc: f64 = 0, wc: f64 = 0, bc: f64 = 0;
    if (c < C) {
      for (let j = 0; j < H; j++) {
        const a = abs<f64>(<f64>load<f32>(W2 + (<usize>(j * C + c) << 2)));
        const o = <usize>j << 3;
        const rho = load<f64>(rhos + o), m = load<f64>(maxes + o);
        pr += a * (rho + F64_SLACK * (m + rho)); // W1's rounding, and h̃'s own f64 rounding
        pm += a * m;
        pn += a * load<f64>(norms + o);
        qc += a * (g1 * abs<f64>(<f64>load<f32>(b1 + (<usize>j << 2))) + ETA);
        wc = max(wc, a);
      }
      bc = <f64>load<f32>(b2 + (<usize>c << 2));
    }
    const grow = (1 + g2) * GROW * GROW;
    const o = <usize>c << 3;
    store<f64>(Pr + o, pr * grow);
    store<f64>(Pm + o, g1 * pm * grow);
    store<f64>(Pn + o, g1 * pn * grow);
    store<f64>(Q + o, qc * grow);
    store<f64>(R + o, g2 * wc * GROW);
    store<f64>(K + o, g2 * abs<f64>(bc) * GROW + ETA);
    store<f64>(bias2 + o, bc);
  }
}

/**
 * The float path's class of a row, from its integer sums I (a row of integerProducts), its byte
 * sum and sum of squares; -1 when the bounds cannot tell it (the row must go the float way).
 * `normalize`: the float path divides the bytes by 255. `scores`: provenWorkBytes, 16-byte aligned.
 */
export function provenClass(I: usize, byteSum: i32, byteSquares: i32, normalize: bool, q: usize, H: i32, C: i32, scores: usize): i32 {
  const f: f64 = normalize ? 1.0 / 255.0 : 1.0;
  const X = <f64>byteSum * f; // Σ v: the row's inputs as the float path sees them (all ≥ 0)
  const V = sqrt<f64>(<f64>byteSquares) * f; // ‖v‖ (its rounding: inside GROW)
  const Ce = evenClasses(C);
  const s = hiddenArray(q, H, 0), bias1 = hiddenArray(q, H, 1), T = hiddenArray(q, H, 2);
  const bias2 = classArray(q, H, C, 6), W2d = classArray(q, H, C, CLASS_ARRAYS);
  // h̃ = relu((I + T)·s·f + b1), within h's bound of the float path's h; scores = h̃·W2 + b2
  const rowW = <usize>Ce << 3;
  let hSum: f64 = 0;
  for (let c = 0; c < Ce; c += 2) v128.store(scores + (<usize>c << 3), v128.load(bias2 + (<usize>c << 3)));
  if (Ce == 10) { // the book's ten classes: all five pairs in registers, one pass over the hidden units
    let a0 = v128.load(scores), a1 = v128.load(scores, 16), a2 = v128.load(scores, 32), a3 = v128.load(scores, 48), a4 = v128.load(scores, 64);
    let pw = W2d;
    for (let j = 0; j < H; j++) {
      const hj = hidden(I, s, T, bias1, f, j);
      hSum += hj;
      const v = f64x2.splat(hj);
      a0 = f64x2.add(a0, f64x2.mul(v, v128.load(pw)));
      a1 = f64x2.add(a1, f64x2.mul(v, v128.load(pw, 16)));
      a2 = f64x2.add(a2, f64x2.mul(v, v128.load(pw, 32)));
      a3 = f64x2.add(a3, f64x2.mul(v, v128.load(pw, 48)));
      a4 = f64x2.add(a4, f64x2.mul(v, v128.load(pw, 64)));
      pw += rowW;
    }
    v128.store(scores, a0); v128.store(scores, a1, 16); v128.store(scores, a2, 32); v128.store(scores, a3, 48); v128.store(scores, a4, 64);
  } else {
    for (let j = 0; j < H; j++) {
      const hj = hidden(I, s, T, bias1, f, j);
      hSum += hj;
      const v = f64x2.splat(hj);
      const pw = W2d + <usize>j * rowW;
      for (let c = 0; c < Ce; c += 2) {
        const o = <usize>c << 3;
        v128.store(scores + o, f64x2.add(v128.load(scores + o), f64x2.mul(v, v128.load(pw + o))));
      }
    }
  }
  let top = 0;
  for (let c = 1; c < C; c++) if (load<f64>(scores + (<usize>c << 3)) > load<f64>(scores + (<usize>top << 3))) top = c;
  const low = load<f64>(scores + (<usize>top << 3)) - bound(q, H, C, X, V, hSum, top);
  for (let c = 0; c < C; c++) {
    if (c != top && !(low > load<f64>(scores + (<usize>c << 3)) + bound(q, H, C, X, V, hSum, c))) return -1;
  }
  return top;
}

/** h̃_j = relu((I_j + T_j)·s_j·f + b1_j) in f64 (I_j + T_j: the exact integer Σ_k x_k·q_kj). */
// @ts-ignore: decorator
@inline function hidden(I: usize, s: usize, T: usize, bias1: usize, f: f64, j: i32): f64 {
  const o = <usize>j << 3;
  const z = (<f64>load<i32>(I + (<usize>j << 2)) + load<f64>(T + o)) * load<f64>(s + o) * f + load<f64>(bias1 + o);
  return z > 0 ? z : 0;
}

/** E for class c: |the f64 score − the float path's score| ≤ E (classConstants). */
// @ts-ignore: decorator
@inline function bound(q: usize, H: i32, C: i32, X: f64, V: f64, hSum: f64, c: i32): f64 {
  const o = <usize>c << 3;
  const spread = X * load<f64>(classArray(q, H, C, 0) + o) + min(X * load<f64>(classArray(q, H, C, 1) + o), V * load<f64>(classArray(q, H, C, 2) + o)) +
    load<f64>(classArray(q, H, C, 3) + o);
  return spread + hSum * load<f64>(classArray(q, H, C, 4) + o) + load<f64>(classArray(q, H, C, 5) + o);
}

/** γ(n) = n·u / (1 − n·u), float32's bound on n roundings in a row. */
// @ts-ignore: decorator
@inline function gamma(n: i32): f64 {
  const nu = <f64>n * U;
  return nu / (1 - nu);
}

/** W1[k, j] (row-major D×H float32). */
// @ts-ignore: decorator
@inline function weight(W1: usize, k: i32, j: i32, H: i32): f32 {
  return load<f32>(W1 + (<usize>(k * H + j) << 2));
}

/** Every one of n float32 values finite and within ±LARGEST_WEIGHT. */
function allModest(p: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(p + (<usize>i << 2));
    if (!(abs<f64>(v) <= LARGEST_WEIGHT)) return false; // NaN fails too
  }
  return true;
}
