// The column passes both sparse products share. A C row of N columns is swept in passes of at
// most 6 vectors (+ one partial vector): per listed nonzero step a pass loads its B vectors
// (or C vectors, for the scatter) and multiplies-adds them. Not 8: V8 issues a step's loads
// before its arithmetic, so 8 accumulators + 8 loaded vectors + the splat overflow x64's 15
// usable xmm registers, and the spilled accumulator's store→load round trip every step measured
// 2.2× slower than 6. N = 50 (float32) is two passes: 6 vectors, then 6 + a 2-lane vector.
import { LANES, BYTES, loadPart, storePart, finish, madd } from "../../lanes";

/**
 * Every column of one row's worth of work, pass by pass. `scatter` (constant) picks the kind:
 *   false — C row at c = Σ over the listed steps of a · B[offset-th row] (+ bias, ReLU): rowTile
 *   true  — each listed C row (c + offset) += a · B row at b: scatterPass (bias and relu unused)
 */
// @ts-ignore: decorator
@inline export function columnPasses<T>(
  scatter: bool, c: usize, b: usize, bias: usize, N: i32, n: i32, vals: usize, offs: usize, relu: bool,
): void {
  const L = LANES<T>();
  let j = 0;
  for (; N - j >= 7 * L; j += 6 * L) pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 6, 0);
  if (N - j > 6 * L) { // 6 vectors + a partial one in one pass
    const r = N - j - 6 * L;
    if (r == 1) pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 6, 1);
    else if (r == 2) pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 6, 2);
    else pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 6, 3);
    return;
  }
  if (N - j == 6 * L) { pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 6, 0); return; }
  if (N - j >= 4 * L) { pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 4, 0); j += 4 * L; }
  if (N - j >= 2 * L) { pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 2, 0); j += 2 * L; }
  if (N - j >= L) { pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 1, 0); j += L; }
  const r = N - j; // 0 ≤ r < L
  if (r == 1) pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 0, 1);
  else if (r == 2) pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 0, 2);
  else if (r == 3) pass<T>(scatter, c, b, bias, j, n, vals, offs, relu, 0, 3);
}

// @ts-ignore: decorator
@inline function pass<T>(
  scatter: bool, c: usize, b: usize, bias: usize, j: i32, n: i32, vals: usize, offs: usize, relu: bool, nv: i32, r: i32,
): void {
  if (scatter) scatterPass<T>(c, b, j, n, vals, offs, nv, r);
  else rowTile<T>(c, b, bias, j, n, vals, offs, relu, nv, r);
}

/**
 * Columns [j, j + nv·L + r) of one C row: nv ∈ {0, 1, 2, 4, 6} vector accumulators then r < LANES
 * lanes (both constants), over the listed steps; + bias, ReLU, store (the partial vector touches
 * only its r lanes: nothing read past B's row end).
 */
// @ts-ignore: decorator
@inline function rowTile<T>(
  pc: usize, B: usize, bias: usize, j: i32, n: i32, vals: usize, offs: usize, relu: bool, nv: i32, r: i32,
): void {
  const S = BYTES<T>();
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), c2 = v128.splat<T>(0), c3 = v128.splat<T>(0);
  let c4 = v128.splat<T>(0), c5 = v128.splat<T>(0), c6 = v128.splat<T>(0);
  const bj = B + <usize>j * S;
  for (let t = 0; t < n; t++) {
    const a = v128.load_splat<T>(vals + <usize>t * S);
    const pb = bj + <usize>load<u32>(offs + (<usize>t << 2));
    if (nv > 0) c0 = madd<T>(c0, a, v128.load(pb));
    if (nv > 1) c1 = madd<T>(c1, a, v128.load(pb, 16));
    if (nv > 2) {
      c2 = madd<T>(c2, a, v128.load(pb, 32));
      c3 = madd<T>(c3, a, v128.load(pb, 48));
    }
    if (nv > 4) {
      c4 = madd<T>(c4, a, v128.load(pb, 64));
      c5 = madd<T>(c5, a, v128.load(pb, 80));
    }
    if (r > 0) c6 = madd<T>(c6, a, loadPart<T>(pb + <usize>nv * 16, r));
  }
  const hasBias = bias != 0;
  const zero = v128.splat<T>(0);
  const pbias = bias + <usize>j * S;
  const p = pc + <usize>j * S;
  if (nv > 0) v128.store(p, finish<T>(c0, hasBias ? v128.load(pbias) : zero, hasBias, relu));
  if (nv > 1) v128.store(p, finish<T>(c1, hasBias ? v128.load(pbias, 16) : zero, hasBias, relu), 16);
  if (nv > 2) {
    v128.store(p, finish<T>(c2, hasBias ? v128.load(pbias, 32) : zero, hasBias, relu), 32);
    v128.store(p, finish<T>(c3, hasBias ? v128.load(pbias, 48) : zero, hasBias, relu), 48);
  }
  if (nv > 4) {
    v128.store(p, finish<T>(c4, hasBias ? v128.load(pbias, 64) : zero, hasBias, relu), 64);
    v128.store(p, finish<T>(c5, hasBias ? v128.load(pbias, 80) : zero, hasBias, relu), 80);
  }
  if (r > 0) storePart<T>(p + <usize>nv * 16, finish<T>(c6, hasBias ? loadPart<T>(pbias + <usize>nv * 16, r) : zero, hasBias, relu), r);
}

/**
 * Columns [j, j + nv·L + r) of the listed C rows += a · B[k, those columns] (nv ∈ {0, 1, 2, 4, 6}
 * full vectors then r < LANES lanes, both constants). B's part stays in registers; each listed
 * row is loaded, updated and stored (at most 7 B vectors + 7 C vectors + the splat in registers).
 */
// @ts-ignore: decorator
@inline function scatterPass<T>(C0: usize, bk: usize, j: i32, n: i32, vals: usize, offs: usize, nv: i32, r: i32): void {
  const S = BYTES<T>();
  const pb = bk + <usize>j * S;
  const zero = v128.splat<T>(0);
  const b0 = nv > 0 ? v128.load(pb) : zero, b1 = nv > 1 ? v128.load(pb, 16) : zero;
  const b2 = nv > 2 ? v128.load(pb, 32) : zero, b3 = nv > 2 ? v128.load(pb, 48) : zero;
  const b4 = nv > 4 ? v128.load(pb, 64) : zero, b5 = nv > 4 ? v128.load(pb, 80) : zero;
  const bp = r > 0 ? loadPart<T>(pb + <usize>nv * 16, r) : zero;
  const Cj = C0 + <usize>j * S;
  for (let t = 0; t < n; t++) {
    const a = v128.load_splat<T>(vals + <usize>t * S);
    const pc = Cj + <usize>load<u32>(offs + (<usize>t << 2));
    if (nv > 0) v128.store(pc, madd<T>(v128.load(pc), a, b0));
    if (nv > 1) v128.store(pc, madd<T>(v128.load(pc, 16), a, b1), 16);
    if (nv > 2) {
      v128.store(pc, madd<T>(v128.load(pc, 32), a, b2), 32);
      v128.store(pc, madd<T>(v128.load(pc, 48), a, b3), 48);
    }
    if (nv > 4) {
      v128.store(pc, madd<T>(v128.load(pc, 64), a, b4), 64);
      v128.store(pc, madd<T>(v128.load(pc, 80), a, b5), 80);
    }
    if (r > 0) {
      const pr = pc + <usize>nv * 16;
      storePart<T>(pr, madd<T>(loadPart<T>(pr, r), a, bp), r);
    }
  }
}
