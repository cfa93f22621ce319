// One-thread training in child processes, alone and two at once: if two copies side by side each
// run as fast as one alone, the machine's two cores share nothing that matters for this code;
// if each runs slower (two hardware threads of one core, a host that slows a vCPU while the other
// works), that slowdown is a floor under what any second thread can cost, whatever the program
// does. bench/two-processes.mjs reports it; paired-floor.mjs measures the same paired in time
// (which a VM's drift between the "alone" and the "two" phases does not skew) from these children.
import { spawn } from "node:child_process";

const DIST = new URL("../../dist/index.node.js", import.meta.url).href;

/** The start of a child's program: scratchnet on one thread, `train` loaded from `${prefix}-…-idx?-ubyte.gz` in `dir`, `net` warmed up. */
export function childPrelude(dir, prefix) {
  return `
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
const sn = await import(${JSON.stringify(DIST)});
await sn.init({ threads: 1 });
const idx = (name, dims) => sn.parseIdx(gunzipSync(readFileSync(${JSON.stringify(dir)} + name)), name, dims).data;
const train = sn.ImageDataset.fromBytes(${JSON.stringify(prefix)}, idx(${JSON.stringify(`${prefix}-images-idx3-ubyte.gz`)}, 3),
  idx(${JSON.stringify(`${prefix}-labels-idx1-ubyte.gz`)}, 1), 28, 28);
const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
await sn.trainNet(net, { train, test: train }, { itersNum: 300, evaluate: false, seed: 0 });
`;
}

/** A child's program that prints the median µs per step over 5 loops of `steps` steps. */
function program(dir, prefix, steps) {
  return `${childPrelude(dir, prefix)}
const per = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  await sn.trainNet(net, { train, test: train }, { itersNum: ${steps}, evaluate: false, seed: r });
  per.push(((performance.now() - t0) * 1000) / ${steps});
}
per.sort((a, b) => a - b);
console.log(per[2]);
process.exit(0);
`;
}

/** What one child printed (trimmed); rejects if it fails. A deadline kills a stuck one. */
export function runChild(code, who) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const deadline = setTimeout(() => p.kill("SIGKILL"), 120_000);
    p.stdout.on("data", (d) => { out += d; });
    p.on("close", (status) => {
      clearTimeout(deadline);
      if (status === 0) resolve(out.trim());
      else reject(new Error(`${who}: a one-thread child exited with ${status}: ${out.trim()}`));
    });
  });
}

/** µs per step of one child running `program`. */
async function child(code, who) {
  const out = await runChild(code, who);
  const us = Number(out);
  if (!Number.isFinite(us)) throw new Error(`${who}: a one-thread child printed ${JSON.stringify(out)}, not µs per step`);
  return us;
}

/**
 * One round: a child alone, then two at once. Returns µs per step { alone, pair: [b, c], ratio }
 * (ratio: the pair's mean ÷ alone).
 */
export async function aloneThenTwo({ dir, prefix, steps, who }) {
  const code = program(dir, prefix, steps);
  const alone = await child(code, who);
  const pair = await Promise.all([child(code, who), child(code, who)]);
  return { alone, pair, ratio: (pair[0] + pair[1]) / 2 / alone };
}

export const CHILD_DIST = DIST;
