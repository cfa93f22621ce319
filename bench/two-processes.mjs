#!/usr/bin/env node
// Do the machine's two cores slow each other down? The same one-thread training loop (trainNet,
// TwoLayerNet 784-50-10, batch 100, SGD, Fashion-MNIST, no evaluation) in one child process
// alone, then in two child processes at once, alternating in rounds. If two copies side by side
// each run as fast as one alone, the cores share nothing that matters for this code (they are
// not one core's two hardware threads), and whatever a second thread inside one process fails
// to save is the process's own coordination: waiting, serial stretches, data crossing cores.
//
// Each round then measures the same paired in time (common/paired-floor.mjs: one child times its
// steps while the other trains in 50-ms bursts), which a VM's drift over seconds does not skew.
//
//   npm run build && node bench/two-processes.mjs [--rounds 4] [--steps 1000]
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { aloneThenTwo, CHILD_DIST } from "./common/one-thread-child.mjs";
import { pairedFloor } from "./common/paired-floor.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const ROUNDS = opt("--rounds", 4), STEPS = opt("--steps", 1000);
const FASHION = "/usr/share/datasets/fashion-mnist/";
if (!existsSync(`${FASHION}train-images-idx3-ubyte.gz`)) throw new Error(`bench/two-processes: Fashion-MNIST not found in ${FASHION}`);

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const alone = [], pair = [], ratios = [], paired = [];
for (let r = 0; r < ROUNDS; r++) {
  const round = await aloneThenTwo({ dir: FASHION, prefix: "train", steps: STEPS, who: "bench/two-processes" });
  alone.push(round.alone);
  pair.push(...round.pair);
  ratios.push(round.ratio);
  paired.push((await pairedFloor({ dir: FASHION, prefix: "train", seconds: 3, who: "bench/two-processes" })).ratio);
}
console.log(`bench/two-processes — ${fileURLToPath(CHILD_DIST)}: one-thread trainNet on Fashion-MNIST, µs per step (median of 5 × ${STEPS} steps per child), ${ROUNDS} rounds`);
console.log("| one process alone | each of two processes at once | at once ÷ alone (median of rounds) | paired in time: while the other trains ÷ while it pauses (50-ms windows, common/paired-floor.mjs) |");
console.log("|---:|---:|---:|---:|");
console.log(`| ${median(alone).toFixed(0)} | ${median(pair).toFixed(0)} | **${median(ratios).toFixed(3)}** | **${median(paired).toFixed(3)}** [${paired.map((v) => v.toFixed(2)).join(", ")}] |`);
