// A seeded random stream whose numbers are computed in wasm (see assembly/random.ts), so a
// seed gives the same bits in Node and in every browser. No Math.random anywhere.
import { getCore } from "./core/core.js";
import { WasmBlock } from "./core/block.js";
import type { Tensor } from "./tensor.js";
import { fail } from "./shape.js";

export class Rng {
  private readonly state = new WasmBlock(32);

  /** `seed`: an integer in [0, 2^53). */
  constructor(readonly seed: number = 0) {
    if (!Number.isSafeInteger(seed) || seed < 0) fail("Rng", `seed must be an integer in [0, 2^53), got ${String(seed)}`);
    getCore().exports.rngSeed(this.state.ptr, seed % 2 ** 32, Math.floor(seed / 2 ** 32));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return getCore().exports.rngUniform(this.state.ptr);
  }

  /** Fill `t` with std · N(0, 1), as `std * np.random.randn(*t.shape)`. */
  fillNormal(t: Tensor, std = 1): void {
    getCore().kernels(t.dtype).fillNormal(t.ptr, t.size, std, this.state.ptr);
  }

  /** Write `n` uniform integers in [0, range) as int32 at `ptr` (np.random.choice with replacement). */
  choiceInto(ptr: number, n: number, range: number): void {
    if (!Number.isInteger(range) || range <= 0 || range > 2 ** 32 - 1) fail("Rng.choice", `range must be a positive integer, got ${range}`);
    getCore().exports.fillChoice(ptr, n, range, this.state.ptr);
  }

  /** Fill `t` with 1 where uniform > ratio, else 0 (dropout keep-mask). */
  fillKeepMask(t: Tensor, ratio: number): void {
    getCore().kernels(t.dtype).fillBernoulliMask(t.ptr, t.size, ratio, this.state.ptr);
  }

  /** Address of the 32-byte generator state (for kernels that draw directly). */
  get statePtr(): number {
    return this.state.ptr;
  }
}
