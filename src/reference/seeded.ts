// Seeded test data for tests and benches: mulberry32, a tiny 32-bit integer PRNG. Deliberately
// not the library's Rng, so test inputs do not depend on the code under test.

/** A generator of uniform numbers in [0, 1), 32 bits each, from an integer seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n values uniform in [lo, hi) drawn from `rand`. */
export function uniformArray(rand: () => number, n: number, lo = -1, hi = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}
