// How much the machine's two cores slow each other, paired in time: one child process trains on
// one thread and times every step, while a second one trains in 50-ms bursts with 50-ms pauses,
// both keyed to the wall clock. The first child's median step in the second one's busy windows ÷
// that in its pauses is the slowdown a busy second core causes. Why not "one process alone, then
// two at once" (one-thread-child.mjs aloneThenTwo): on a VM whose speed drifts by a third over
// seconds, those two phases read 0.63–1.84 from round to round; windows a tenth of a second apart
// see the same drift.
import { childPrelude, runChild } from "./one-thread-child.mjs";

const WINDOW_MS = 50; // a busy or a quiet window of the disturbing child
const EDGE_MS = 3; // steps starting this close to a window's edge are left out (the other side may lag)

/**
 * One measurement of about `seconds` seconds. Returns { busy, quiet, ratio }: the measuring
 * child's median µs per step while the other child trains, while it pauses, and their ratio.
 */
export async function pairedFloor({ dir, prefix, seconds = 3, who }) {
  // both children begin at a shared wall-clock time after both have loaded, and stop together
  const startAt = Date.now() + 4000, stopAt = startAt + seconds * 1000;
  const clock = `const wall = () => performance.timeOrigin + performance.now();
const busy = (t) => Math.floor(t / ${WINDOW_MS}) % 2 === 0;
const edge = (t) => { const r = t % ${WINDOW_MS}; return r < ${EDGE_MS} || r > ${WINDOW_MS - EDGE_MS}; };
const sleep = new Int32Array(new SharedArrayBuffer(4));
while (wall() < ${startAt}) Atomics.wait(sleep, 0, 0, 1);`;
  // trainNet in calls of 200 steps (its loss list is as long as itersNum) until the stop time
  const measurer = `${childPrelude(dir, prefix)}${clock}
const steps = { busy: [], quiet: [] };
let last = 0;
const time = () => {
  const t = wall();
  if (last > 0 && !edge(last) && !edge(t) && busy(last) === busy(t)) steps[busy(last) ? "busy" : "quiet"].push((t - last) * 1000);
  last = t;
};
for (let seed = 1; wall() < ${stopAt}; seed++) {
  last = 0; // the first step of a call also times the call's setup: left out
  await sn.trainNet(net, { train, test: train }, { itersNum: 200, evaluate: false, seed, onStep: time });
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
console.log(JSON.stringify({ busy: median(steps.busy), quiet: median(steps.quiet), n: [steps.busy.length, steps.quiet.length] }));
process.exit(0);`;
  const disturber = `${childPrelude(dir, prefix)}${clock}
const pause = () => { // through a quiet window, asleep
  let t = wall();
  while (!busy(t) && t < ${stopAt}) { Atomics.wait(sleep, 0, 0, Math.max(1, ${WINDOW_MS} - (t % ${WINDOW_MS}))); t = wall(); }
};
for (let seed = 1; wall() < ${stopAt}; seed++) {
  await sn.trainNet(net, { train, test: train }, { itersNum: 200, evaluate: false, seed, onStep: pause });
}
process.exit(0);`;
  const [out] = await Promise.all([runChild(measurer, who), runChild(disturber, who)]);
  const r = JSON.parse(out);
  if (!(r.busy > 0 && r.quiet > 0) || Math.min(...r.n) < 100) throw new Error(`${who}: the paired floor measured too few steps: ${out}`);
  return { busy: r.busy, quiet: r.quiet, ratio: r.busy / r.quiet };
}
