// xoshiro256** seeded by splitmix64 (assembly/random.ts) in BigInt arithmetic: an independent
// oracle for the wasm generator's bits (BigInt: exact 64-bit wrap-around, slow, fine for tests).
const MASK = (1n << 64n) - 1n;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK;

export class ReferenceRng {
  private s: bigint[] = [];

  constructor(seed: number) {
    let z = BigInt(seed);
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b97f4a7c15n) & MASK;
      let x = z;
      x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
      x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK;
      this.s.push(x ^ (x >> 31n));
    }
  }

  next(): bigint {
    const [s0, s1, s2, s3] = this.s;
    const result = (rotl((s1 * 5n) & MASK, 7n) * 9n) & MASK;
    const t = (s1 << 17n) & MASK;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s = [s0 ^ n3, s1 ^ n2, n2 ^ t, rotl(n3, 45n)];
    return result;
  }

  /** Uniform in [0, 1) from the top 53 bits. */
  uniform(): number {
    return Number(this.next() >> 11n) * 2 ** -53;
  }

  /** Uniform integer in [0, n): Lemire's multiply-and-reject on the top 32 bits. */
  below(n: number): number {
    const N = BigInt(n);
    let m = (this.next() >> 32n) * N;
    let low = m & 0xffffffffn;
    if (low < N) {
      const threshold = ((1n << 32n) - N) % N;
      while (low < threshold) {
        m = (this.next() >> 32n) * N;
        low = m & 0xffffffffn;
      }
    }
    return Number(m >> 32n);
  }

  /** Standard normal, Marsaglia's polar method, one value per accepted pair. */
  normal(): number {
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s < 1 && s !== 0) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }
}
