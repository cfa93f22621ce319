// Seeded randomness computed in wasm, so Node and every browser produce the same bits
// (JS Math.random/log/cos are engine-specific; wasm integer and IEEE arithmetic are not).
//
// Generator: xoshiro256** (Blackman & Vigna), seeded through splitmix64. Its 32-byte state
// lives in linear memory at `state`, so every net or sampler owns an independent stream.
import { BYTES } from "./lanes";

// @ts-ignore: decorator
@inline function rotl(x: u64, k: u64): u64 {
  return (x << k) | (x >> (64 - k));
}

/** Fill the 4×u64 state at `state` from a 64-bit seed via splitmix64 (never all zero). */
export function rngSeed(state: usize, seedLo: u32, seedHi: u32): void {
  let z: u64 = (<u64>seedHi << 32) | <u64>seedLo;
  for (let i: usize = 0; i < 4; i++) {
    z += 0x9e3779b97f4a7c15;
    let x = z;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
    x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
    store<u64>(state + (i << 3), x ^ (x >> 31));
  }
}

/** Next 64 random bits. */
export function rngNext(state: usize): u64 {
  const s0 = load<u64>(state), s1 = load<u64>(state, 8), s2 = load<u64>(state, 16), s3 = load<u64>(state, 24);
  const result = rotl(s1 * 5, 7) * 9;
  const t = s1 << 17;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  store<u64>(state, s0 ^ n3);
  store<u64>(state, s1 ^ n2, 8);
  store<u64>(state, n2 ^ t, 16);
  store<u64>(state, rotl(n3, 45), 24);
  return result;
}

/** Uniform double in [0, 1) with 53 random bits. */
export function rngUniform(state: usize): f64 {
  return <f64>(rngNext(state) >> 11) * 1.1102230246251565e-16; // 2^-53
}

/** Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject on 32-bit draws). */
export function rngBelow(state: usize, n: u32): u32 {
  let m = <u64>(<u32>(rngNext(state) >> 32)) * <u64>n;
  let low = <u32>m;
  if (low < n) {
    const threshold: u32 = (<u32>0 - n) % n;
    while (low < threshold) {
      m = <u64>(<u32>(rngNext(state) >> 32)) * <u64>n;
      low = <u32>m;
    }
  }
  return <u32>(m >> 32);
}

/** Standard normal by Marsaglia's polar method; log and sqrt run in wasm, so results are portable. */
export function rngNormal(state: usize): f64 {
  let u: f64, v: f64, s: f64;
  do {
    u = 2 * rngUniform(state) - 1;
    v = 2 * rngUniform(state) - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  // The polar method yields two normals; we use one and drop the other so that a fill of
  // n values consumes the stream the same way whatever n is (simple, and init is not hot).
  return u * Math.sqrt(-2 * Math.log(s) / s);
}

/** out[i] = std * N(0, 1) for i < n, as `weight_init_std * np.random.randn(...)`. */
export function fillNormal<T>(out: usize, n: i32, std: f64, state: usize): void {
  const S = BYTES<T>();
  for (let i = 0; i < n; i++) store<T>(out + <usize>i * S, <T>(std * rngNormal(state)));
}

/** out[i] = uniform int in [0, range), as `np.random.choice(range, n)` (with replacement). */
export function fillChoice(out: usize, n: i32, range: u32, state: usize): void {
  for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), <i32>rngBelow(state, range));
}

/** out[i] = 1 if uniform < keep else 0 — the book's dropout mask `rand(*shape) > ratio`. */
export function fillBernoulliMask<T>(out: usize, n: i32, ratio: f64, state: usize): void {
  const S = BYTES<T>();
  for (let i = 0; i < n; i++) store<T>(out + <usize>i * S, rngUniform(state) > ratio ? <T>1 : <T>0);
}
