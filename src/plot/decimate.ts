// Fewer points, same picture. A line through many points per pixel column covers, in that
// column, exactly the pixels between the lowest and the highest point; keeping per column the
// first, lowest, highest and last point (the "M4" scheme) therefore draws the same pixels
// while dropping the rest. Taking every n-th point instead would cut off the spikes a noisy
// minibatch loss curve is made of.

/**
 * Indices of the points to keep, in order. `column(i)` maps point i to its pixel column, or
 * NaN for a point that is not drawn (a gap). Consecutive points in one column form a group.
 */
export function decimateM4(count: number, column: (i: number) => number, value: (i: number) => number): number[] {
  const keep: number[] = [];
  let groupColumn = NaN;
  let first = -1, last = -1, lo = -1, hi = -1;
  const flush = (): void => {
    if (first < 0) return;
    const picked = [first, lo, hi, last].sort((a, b) => a - b);
    for (let j = 0; j < picked.length; j++) if (j === 0 || picked[j] !== picked[j - 1]) keep.push(picked[j]);
    first = -1;
  };
  for (let i = 0; i < count; i++) {
    const c = column(i);
    if (Number.isNaN(c)) {
      flush();
      keep.push(i); // keep the gap so the path breaks there
      groupColumn = NaN;
      continue;
    }
    if (c !== groupColumn) {
      flush();
      groupColumn = c;
      first = lo = hi = i;
    }
    last = i;
    if (value(i) < value(lo)) lo = i;
    if (value(i) > value(hi)) hi = i;
  }
  flush();
  return keep;
}
