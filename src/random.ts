// A seeded random stream whose numbers are computed in wasm (see assembly/random.ts), so a
// seed gives the same bits in Node and in every browser. No Math.random anywhere.
// The 32-byte xoshiro256** state lives on the JS heap, so an Rng needs no dispose(): each draw
// copies it into the per-call scratch, runs the kernel and copies it back (8 words each way).
import { getCore } from "./core/core.js";
import { closeScratch, heapBytes, openScratch, stageInts, stageOut } from "./memory/scratch.js";
import { checkTensor, type Tensor } from "./tensor.js";
import { fail } from "./shape.js";
import { checkFinite, checkIntIn, describeValue } from "./check.js";

const STATE_BYTES = 32;
// set by the class's static block (declared first: the block runs while the class is defined)
let choiceIntoImpl: (rng: Rng, ptr: number, n: number, range: number) => void;
let isRngImpl: (x: unknown) => boolean;

export class Rng {
  readonly #state = new Int32Array(STATE_BYTES / 4);
  readonly #seed: number;

  /** `seed`: an integer in [0, 2^53). */
  constructor(seed: number = 0) {
    if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) fail("Rng", `seed must be an integer in [0, 2^53), got ${describeValue(seed)}`);
    this.#seed = seed;
    openScratch(STATE_BYTES);
    getCore().exports.rngSeed(stageInts(this.#state, true), seed % 2 ** 32, Math.floor(seed / 2 ** 32));
    closeScratch();
  }

  get seed(): number {
    return Rng.#own(this, "Rng.seed").#seed;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    const state = Rng.#own(this, "Rng.uniform").#state;
    openScratch(STATE_BYTES);
    const u = getCore().exports.rngUniform(stageInts(state, true));
    closeScratch();
    return u;
  }

  /** Fill `t` with std · N(0, 1), as `std * np.random.randn(*t.shape)`. */
  fillNormal(t: Tensor, std = 1): void {
    const where = "Rng.fillNormal";
    const state = Rng.#own(this, where).#state;
    checkTensor(t, "t", where);
    if (checkFinite(std, "std", where) < 0) fail(where, `std must be ≥ 0, got ${std}`);
    openScratch(STATE_BYTES + heapBytes(t));
    getCore().kernels(t.dtype).fillNormal(stageOut(t), t.size, std, stageInts(state, true));
    closeScratch();
  }

  /** Fill `t` with 1 where uniform > ratio, else 0 (dropout keep-mask). */
  fillKeepMask(t: Tensor, ratio: number): void {
    const where = "Rng.fillKeepMask";
    const state = Rng.#own(this, where).#state;
    checkTensor(t, "t", where);
    if (checkFinite(ratio, "ratio", where) < 0 || ratio >= 1) fail(where, `ratio must be in [0, 1), got ${ratio}`);
    openScratch(STATE_BYTES + heapBytes(t));
    getCore().kernels(t.dtype).fillBernoulliMask(stageOut(t), t.size, ratio, stageInts(state, true));
    closeScratch();
  }

  /** `n` uniform integers in [0, range), as `np.random.choice(range, n)` (with replacement). */
  choice(range: number, n: number): Int32Array {
    const state = Rng.#own(this, "Rng.choice").#state;
    checkIntIn(range, 1, 2 ** 32 - 1, "range", "Rng.choice");
    checkIntIn(n, 0, 2 ** 28, "n", "Rng.choice");
    const out = new Int32Array(n);
    openScratch(STATE_BYTES + out.byteLength + 16);
    const s = stageInts(state, true);
    getCore().exports.fillChoice(stageInts(out, true), n, range, s);
    closeScratch();
    return out;
  }

  static #own(x: unknown, where: string): Rng {
    if (typeof x !== "object" || x === null || !(#state in x)) fail(where, `called on ${describeValue(x)} that is not a real Rng`);
    return x as Rng;
  }

  static {
    isRngImpl = (x) => typeof x === "object" && x !== null && #state in x;
    choiceIntoImpl = (rng, ptr, n, range) => {
      const state = Rng.#own(rng, "BatchSampler.sample").#state;
      openScratch(STATE_BYTES);
      getCore().exports.fillChoice(ptr, n, range, stageInts(state, true));
      closeScratch();
    };
  }
}

/**
 * Module-private (the sampler's hot path): `n` draws in [0, range) written as int32 at `ptr`,
 * an address inside the caller's own arena that the caller has checked holds `n` values.
 */
export function choiceInto(rng: Rng, ptr: number, n: number, range: number): void {
  choiceIntoImpl(rng, ptr, n, range);
}

/** True for real Rng objects (a brand check). */
export function isRng(x: unknown): x is Rng {
  return isRngImpl(x);
}
