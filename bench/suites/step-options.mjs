// tinybench settings of a timed step (~0.5–40 ms), shared by the in-process rows (timed.mjs) and
// the relaxed-SIMD child (relaxed-step.mjs), so every step row is sampled alike.
export function stepBenchOptions(quick) {
  return { time: quick ? 150 : 1500, iterations: quick ? 10 : 64, warmupTime: quick ? 50 : 300, warmupIterations: quick ? 5 : 50 };
}
