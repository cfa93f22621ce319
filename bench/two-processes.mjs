#!/usr/bin/env node
// Do the machine's two cores slow each other down? The same one-thread training loop (trainNet,
// TwoLayerNet 784-50-10, batch 100, SGD, Fashion-MNIST, no evaluation) in one child process
// alone, then in two child processes at once, alternating in rounds. If two copies side by side
// each run as fast as one alone, the cores share nothing that matters for this code (they are
// not one core's two hardware threads), and whatever a second thread inside one process fails
// to save is the process's own coordination: waiting, serial stretches, data crossing cores.
//
//   npm run build && node bench/two-processes.mjs [--rounds 4] [--steps 1000]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const ROUNDS = opt("--rounds", 4), STEPS = opt("--steps", 1000);
const FASHION = "/usr/share/datasets/fashion-mnist/";
if (!existsSync(`${FASHION}train-images-idx3-ubyte.gz`)) throw new Error(`bench/two-processes: Fashion-MNIST not found in ${FASHION}`);
const DIST = new URL("../dist/index.node.js", import.meta.url).href;

// the child: load, warm up, then print the median µs per step over 5 loops of STEPS steps
const CHILD = `
const sn = await import(${JSON.stringify(DIST)});
await sn.init({ threads: 1 });
const { train } = await sn.loadMnist({ dataset: "fashion-mnist", dataDir: ${JSON.stringify(FASHION)} });
const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
await sn.trainNet(net, { train, test: train }, { itersNum: 300, evaluate: false, seed: 0 });
const per = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  await sn.trainNet(net, { train, test: train }, { itersNum: ${STEPS}, evaluate: false, seed: r });
  per.push(((performance.now() - t0) * 1000) / ${STEPS});
}
per.sort((a, b) => a - b);
console.log(per[2]);
process.exit(0);
`;

/** µs per step of one child; resolves when it exits (a deadline kills a stuck one). */
function child() {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", CHILD], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const deadline = setTimeout(() => p.kill("SIGKILL"), 120_000);
    p.stdout.on("data", (d) => { out += d; });
    p.on("close", (code) => {
      clearTimeout(deadline);
      const us = Number(out.trim());
      if (code === 0 && Number.isFinite(us)) resolve(us);
      else reject(new Error(`bench/two-processes: a child exited with ${code}: ${out.trim()}`));
    });
  });
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const alone = [], pair = [], ratios = [];
for (let r = 0; r < ROUNDS; r++) {
  const a = await child();
  const [b, c] = await Promise.all([child(), child()]);
  alone.push(a);
  pair.push(b, c);
  ratios.push((b + c) / 2 / a);
}
console.log(`bench/two-processes — ${fileURLToPath(DIST)}: one-thread trainNet on Fashion-MNIST, µs per step (median of 5 × ${STEPS} steps per child), ${ROUNDS} rounds`);
console.log("| one process alone | each of two processes at once | at once ÷ alone (median of rounds) |");
console.log("|---:|---:|---:|");
console.log(`| ${median(alone).toFixed(0)} | ${median(pair).toFixed(0)} | **${median(ratios).toFixed(3)}** |`);
