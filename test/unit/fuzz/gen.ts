// Seeded generators for the API fuzz suite: one seed, the same cases everywhere. Valid values
// (small shapes, finite numbers, real tensors in both storages) and junk of every kind a user
// could pass by mistake or on purpose: edge numbers, wrong types, ragged and over-deep arrays,
// detached and exotic typed arrays, forged tensors (Object.create, duck-typed, lying fields),
// tensors of a disposed net, and Proxies whose traps throw (a user's own error, which the
// library must let through untouched).
import { Tensor, TwoLayerNet, type DType } from "../../../src/index.node.js";
import { Arena, zerosIn } from "../../../src/internal.js";
import { seededRandom } from "../../../src/reference/seeded.js";

/** An error thrown by user code (a throwing getter/trap/callback): passing it through is correct. */
export class UserThrow extends Error {}


// made once: a net disposed before any case, whose params are tensors of freed memory
const disposedNet = new TwoLayerNet(4, 3, 2);
const freedTensor = disposedNet.params.W1;
disposedNet.dispose();

export class Gen {
  readonly rand: () => number;
  /** Where wasm-backed inputs live (like a net's params or outputs); the runner disposes it after the case. */
  readonly arena = new Arena("fuzz inputs");

  constructor(seed: number) {
    this.rand = seededRandom(seed);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  bool(p = 0.5): boolean {
    return this.rand() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)];
  }

  /** A small positive size (mostly 1..5). */
  dim(max = 5): number {
    return this.bool(0.9) ? this.int(1, max) : this.int(1, 12);
  }

  dtype(): DType {
    return this.bool() ? "float32" : "float64";
  }

  /** n finite values in [-3, 3] (some exact zeros, for ReLU/argmax ties). */
  values(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.bool(0.1) ? 0 : (this.rand() * 6 - 3);
    return out;
  }

  /** A real tensor of `shape`, on the JS heap or (a third of the time) in wasm memory. */
  tensor(shape: number[], dtype: DType = this.dtype()): Tensor {
    const values = this.values(shape.reduce((a, b) => a * b, 1));
    if (this.bool(0.67)) return Tensor.from(values, shape, dtype);
    const t = zerosIn(this.arena, shape, dtype, "fuzz inputs");
    t.data.set(values);
    return t;
  }

  /** Labels in [0, classes). */
  labels(n: number, classes: number): number[] {
    return Array.from({ length: n }, () => this.int(0, classes - 1));
  }

  /** Numbers a careless or hostile caller might pass where a size or a rate is expected. */
  edgeNumber(): number {
    return this.pick([0, -0, -1, 1, 2, 0.5, 1.5, -2.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32, 2 ** 53, 1e9, 1e300, -1e9, 5e-324, Number.MAX_VALUE, 3]);
  }

  /** Any value at all (depth-limited), from junk to real library objects. */
  any(depth = 0): unknown {
    const k = this.int(0, depth > 1 ? 13 : 20);
    switch (k) {
      case 0: return undefined;
      case 1: return null;
      case 2: return this.edgeNumber();
      case 3: return this.pick(["", "float32", "float64", "int8", "relu", "adam", "x".repeat(this.int(1, 500)), "__proto__", "-1"]);
      case 4: return this.pick([true, false]);
      case 5: return this.pick([Symbol("s"), 10n, () => 1, () => NaN, (x: unknown) => x]);
      case 6: return this.pick([{}, [], Object.create(null), new Map(), new Date(0), /x/, new Error("e")]);
      case 7: return this.exoticArray();
      case 8: return this.forgedTensor();
      case 9: return this.tensor(Array.from({ length: this.int(0, 3) }, () => this.dim()));
      case 10: return this.nested(this.int(1, 3), this.bool(0.3));
      case 11: return Array.from({ length: this.int(0, 4) }, () => this.edgeNumber());
      case 12: return this.throwingProxy();
      case 13: return { shape: [2, 2], size: 4, dtype: "float32", data: new Float32Array(4), ptr: 0 };
      case 14: return Array.from({ length: this.int(0, 3) }, () => this.any(depth + 1));
      case 15: return Object.fromEntries(Array.from({ length: this.int(0, 3) }, () => [this.pick(["a", "dtype", "seed", "lr", "shape", "inputSize", "batchSize"]), this.any(depth + 1)]));
      case 16: return this.deepArray();
      case 17: return freedTensor;
      case 18: return Tensor.zeros([0]);
      case 19: return new Float32Array(this.int(0, 6)).fill(this.edgeNumber());
      default: return this.pick([1, 2, 3]);
    }
  }

  /** Typed arrays a tensor cannot be made from, or only with care. */
  exoticArray(): unknown {
    const detached = (): Float32Array => {
      const b = new ArrayBuffer(16);
      const view = new Float32Array(b);
      structuredClone(b, { transfer: [b] });
      return view;
    };
    return this.pick<() => unknown>([
      detached, () => new DataView(new ArrayBuffer(8)), () => new BigInt64Array(2), () => new ArrayBuffer(8),
      () => new Uint8Array([1, 2, 255]), () => new Int32Array([-1, 0, 5]), () => new Float64Array([1, NaN]), () => new Uint8ClampedArray(3),
    ])();
  }

  /** Objects that look like tensors and are not. */
  forgedTensor(): unknown {
    return this.pick<() => unknown>([
      () => Object.create(Tensor.prototype),
      () => ({ shape: [1e6], size: 1e6, dtype: "float32", data: new Float32Array(1), ptr: 8, block: { ptr: 0 } }),
      () => Object.assign(Object.create(Tensor.prototype), { shape: [2], size: 2, dtype: "float64" }),
      () => ({ __proto__: Tensor.prototype, ptr: -5 }),
    ])();
  }

  throwingProxy(): unknown {
    return new Proxy({}, {
      get() { throw new UserThrow("trap"); },
      has() { throw new UserThrow("trap"); },
      ownKeys() { throw new UserThrow("trap"); },
      getPrototypeOf() { throw new UserThrow("trap"); },
    });
  }

  /** Nested arrays of numbers, sometimes ragged or holding junk. */
  nested(rank: number, broken: boolean): unknown {
    const build = (r: number): unknown => {
      if (r === 0) return broken && this.bool(0.2) ? this.any(2) : this.rand() * 4 - 2;
      const n = this.dim(3);
      return Array.from({ length: broken && this.bool(0.2) ? n + 1 : n }, (_, i) => (broken && i === 0 && this.bool(0.2) ? [] : build(r - 1)));
    };
    return build(rank);
  }

  /** An array nested far past any rank limit (the stack must not overflow). */
  deepArray(): unknown {
    let a: unknown = [1];
    for (let i = 0, n = this.pick([40, 5000, 20000]); i < n; i++) a = [a];
    return a;
  }

  /** True once maybe() returned junk in this case: the float64 reference was computed for the valid arguments. */
  mutated = false;

  /** `valid` most of the time, else junk: mutations for one argument. */
  maybe<T>(valid: T, pJunk: number): T {
    if (this.rand() >= pJunk) return valid;
    const junk = this.any();
    if (junk !== valid) this.mutated = true;
    return junk as T;
  }
}
