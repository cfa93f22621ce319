// The chapter 6 optimizers' update kernels (assembly/optimizers.ts) against a float64
// transcription of common/optimizer.py (src/reference/optimizers.ts): the SGD kernel on its own
// (float32 bound: lr itself is passed as float32, one rounding, then a product and a difference
// → γ_3·(|p| + |lr·g|); float64 1e-12), then every optimizer class over several steps, and the
// block path (one wasm call per net) against the per-key path.
import { describe, expect, it } from "vitest";
import {
  SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, createOptimizer, ParamBlock, type Tensor,
  type DType, type Optimizer,
} from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import * as ref from "../../../src/reference/index.js";
import {
  referenceMomentum, referenceNesterov, referenceAdaGrad, referenceRMSprop, referenceAdam, sgdUpdate, type Arrays,
} from "../../../src/reference/optimizers.js";
import { DTYPES, F64_REL, UNIT_ROUNDOFF, copy, expectWithin, floats, gamma, testRng, uniformArray } from "../../helpers/wasm.js";

/** Element counts covering empty vector bodies, vector body + every tail length, and big. */
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 17, 100, 5000];

describe.each(DTYPES)("SGD kernel (%s) vs reference", (dtype) => {
  const k = () => getCore().kernels(dtype);
  const u = UNIT_ROUNDOFF[dtype];

  it("SGD update p −= lr·g (γ_3·(|p| + |lr·g|))", () => {
    for (const n of LENGTHS) {
      const rand = testRng(200 + n);
      const p = floats(uniformArray(rand, n), dtype), g = floats(uniformArray(rand, n), dtype);
      const p0 = copy(p), lr = 0.1;
      k().sgdUpdate(p.ptr, g.ptr, lr, n);
      const e = Float64Array.from(p0);
      ref.sgdUpdate(e, copy(g), lr, n);
      const gs = copy(g);
      const f = dtype === "float64" ? F64_REL : gamma(3, u);
      expectWithin(`sgdUpdate n=${n}`, copy(p), e, (i) => f * (Math.abs(p0[i]) + Math.abs(lr * gs[i])));
    }
  });
});

// awkward sizes: a SIMD body plus scalar tails for both f32 (4 lanes) and f64 (2 lanes)
const SPEC = [["W1", [7, 5]], ["b1", [5]], ["W2", [5, 3]], ["b2", [3]], ["gamma1", [1]]] as const;
const STEPS = 7;

type Case = { name: string; make: () => Optimizer; reference: () => (p: Arrays, g: Arrays) => void };
const CASES: Case[] = [
  { name: "SGD", make: () => new SGD(0.05), reference: () => (p, g) => { for (const k of Object.keys(p)) sgdUpdate(p[k], g[k], 0.05, p[k].length); } },
  { name: "Momentum", make: () => new Momentum(), reference: () => referenceMomentum(0.01, 0.9) },
  { name: "Nesterov", make: () => new Nesterov(0.02, 0.8), reference: () => referenceNesterov(0.02, 0.8) },
  { name: "AdaGrad", make: () => new AdaGrad(), reference: () => referenceAdaGrad(0.01) },
  { name: "RMSprop", make: () => new RMSprop(), reference: () => referenceRMSprop(0.01, 0.99) },
  { name: "Adam", make: () => new Adam(), reference: () => referenceAdam(0.001, 0.9, 0.999) },
];

/** Initial params and one gradient per step, seeded (gradients of mixed sign and scale, some exact zeros). */
function problem(seed: number): { init: Arrays; grads: Arrays[] } {
  const rand = testRng(seed);
  const init: Arrays = {};
  for (const [k, shape] of SPEC) init[k] = uniformArray(rand, (shape as readonly number[]).reduce((a, b) => a * b, 1));
  const grads: Arrays[] = [];
  for (let s = 0; s < STEPS; s++) {
    const g: Arrays = {};
    for (const [k] of SPEC) {
      g[k] = uniformArray(rand, init[k].length, -2, 2);
      if (s === 2) g[k][0] = 0; // a zero gradient: AdaGrad/Adam divide by √h + 1e-7, not by 0
    }
    grads.push(g);
  }
  return { init, grads };
}

function blocks(init: Arrays, dtype: DType): { params: ParamBlock; grads: ParamBlock } {
  const params = new ParamBlock(SPEC, dtype);
  const grads = new ParamBlock(SPEC, dtype);
  for (const [k] of SPEC) params.tensors[k].data.set(init[k]);
  return { params, grads };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-300));
  return worst;
}

/**
 * Run the wasm optimizer and the float64 reference side by side for STEPS steps on the same
 * gradients; `check` sees the wasm params and the reference after every step.
 */
function sideBySide(c: Case, dtype: DType, entry: "update" | "updateBlock", seed: number, check: (params: ParamBlock, expected: Arrays) => void): { params: ParamBlock; init: Arrays } {
  const { init, grads } = problem(seed);
  const ref = c.reference();
  const expected: Arrays = {};
  for (const k of Object.keys(init)) expected[k] = Float64Array.from(init[k]);
  const opt = c.make();
  const { params, grads: g } = blocks(init, dtype);
  for (let s = 0; s < STEPS; s++) {
    ref(expected, grads[s]);
    for (const [k] of SPEC) g.tensors[k].data.set(grads[s][k]);
    if (entry === "update") opt.update(params.tensors, g.tensors);
    else opt.updateBlock(params, g);
    check(params, expected);
  }
  return { params, init };
}

describe.each(CASES)("$name", (c) => {
  const { make } = c;
  it("float64: matches the book's formula over several steps (≤ 1e-12 relative)", () => {
    const { params, init } = sideBySide(c, "float64", "update", 11, (p, expected) => {
      for (const [k] of SPEC) expect(maxRelDiff(p.tensors[k].data, expected[k])).toBeLessThanOrEqual(1e-12);
    });
    // the parameters really moved (a no-op optimizer would fail the comparison above anyway)
    expect(maxRelDiff(params.tensors.W1.data, init.W1)).toBeGreaterThan(1e-4);
  });

  it("float32: tracks the float64 reference to float32 precision", () => {
    let worst = 0;
    sideBySide(c, "float32", "updateBlock", 12, (p, expected) => {
      for (const [k] of SPEC) {
        const a = p.tensors[k].data;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[k][i]) / Math.max(1, Math.abs(expected[k][i])));
      }
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it.each(["float32", "float64"] as const)("%s: updateBlock gives the same bits as update per key", (dtype) => {
    const { init, grads } = problem(13);
    const perKey = blocks(init, dtype);
    const whole = blocks(init, dtype);
    const a = make(), b = make();
    for (let s = 0; s < STEPS; s++) {
      for (const [k] of SPEC) {
        perKey.grads.tensors[k].data.set(grads[s][k]);
        whole.grads.tensors[k].data.set(grads[s][k]);
      }
      a.update(perKey.params.tensors, perKey.grads.tensors);
      b.updateBlock(whole.params, whole.grads);
    }
    const bytes = (t: Tensor): Uint8Array => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    expect(bytes(whole.params.all())).toEqual(bytes(perKey.params.all()));
  });
});

describe("optimizer state and errors", () => {
  it("keeps the book's state names and Adam's step count", () => {
    const { init, grads } = problem(14);
    const { params, grads: g } = blocks(init, "float64");
    for (const [k] of SPEC) g.tensors[k].data.set(grads[0][k]);
    const adam = new Adam();
    adam.update(params.tensors, g.tensors);
    adam.update(params.tensors, g.tensors);
    expect(adam.iter).toBe(2);
    expect(Object.keys(adam.m)).toEqual(SPEC.map(([k]) => k));
    expect(adam.v.W1.shape).toEqual([7, 5]);
    const mom = new Momentum();
    mom.update(params.tensors, g.tensors);
    // after one step from v = 0: v = -lr·g
    expect(mom.v.b1.data[1]).toBeCloseTo(-0.01 * grads[0].b1[1], 15);
  });

  it("refuses to mix entry points, nets, or mismatched gradients", () => {
    const { init } = problem(15);
    const one = blocks(init, "float32");
    const other = blocks(init, "float32");
    const opt = new Adam();
    opt.updateBlock(one.params, one.grads);
    expect(() => opt.update(one.params.tensors, one.grads.tensors)).toThrow(/Adam\.update: this optimizer already keeps state from updateBlock\(\)/);
    expect(() => opt.updateBlock(other.params, other.grads)).toThrow(/belongs to another parameter block/);
    const bad = new Momentum();
    const g64 = blocks(init, "float64");
    expect(() => bad.update(one.params.tensors, { ...one.grads.tensors, W2: g64.grads.tensors.W2 })).toThrow(/Momentum\.update: gradient 'W2' \[5, 3\] float64 does not match parameter \[5, 3\] float32/);
    const { b1: _dropped, ...missing } = one.grads.tensors;
    expect(() => bad.update(one.params.tensors, missing)).toThrow(/no gradient for parameter 'b1'/);
    // nothing was updated by the refused calls: the state is still empty
    expect(Object.keys(bad.v)).toEqual([]);
  });

  it("rejects bad hyperparameters at construction", () => {
    expect(() => new Adam(0)).toThrow(/Adam: lr must be a positive finite number, got 0/);
    expect(() => new Momentum(0.01, 1)).toThrow(/Momentum: momentum must be a number in \[0, 1\), got 1/);
    expect(() => new RMSprop(0.01, Number.NaN)).toThrow(/decayRate/);
    expect(() => new Adam(0.001, 0.9, -0.1)).toThrow(/beta2/);
  });
});

describe("createOptimizer", () => {
  it("builds each optimizer with the book's defaults", () => {
    const sgd = createOptimizer("sgd") as SGD;
    expect(sgd).toBeInstanceOf(SGD);
    expect(sgd.lr).toBe(0.01);
    const m = createOptimizer("Momentum") as Momentum;
    expect([m.lr, m.momentum]).toEqual([0.01, 0.9]);
    const n = createOptimizer("nesterov") as Nesterov;
    expect([n.lr, n.momentum, n.name]).toEqual([0.01, 0.9, "Nesterov"]);
    expect((createOptimizer("adagrad") as AdaGrad).lr).toBe(0.01);
    const r = createOptimizer("rmsprop") as RMSprop;
    expect([r.lr, r.decayRate]).toEqual([0.01, 0.99]);
    const a = createOptimizer("ADAM") as Adam;
    expect([a.lr, a.beta1, a.beta2]).toEqual([0.001, 0.9, 0.999]);
  });

  it("passes options through and rejects unknown names or options", () => {
    const a = createOptimizer("adam", { lr: 0.01, beta2: 0.99 }) as Adam;
    expect([a.lr, a.beta1, a.beta2]).toEqual([0.01, 0.9, 0.99]);
    expect((createOptimizer("momentum", { lr: 0.1, momentum: undefined }) as Momentum).momentum).toBe(0.9);
    expect(() => createOptimizer("adadelta")).toThrow(/createOptimizer: unknown optimizer 'adadelta'; choose one of sgd, momentum, nesterov, adagrad, rmsprop, adam/);
    expect(() => createOptimizer("sgd", { momentum: 0.9 })).toThrow(/option 'momentum' does not apply to sgd/);
    expect(() => createOptimizer("adam", { lr: -1 })).toThrow(/Adam: lr must be a positive finite number/);
  });
});
