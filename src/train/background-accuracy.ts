// trainNet's per-epoch accuracy, counted by the worker threads while the main thread goes on
// with the next steps. With two threads, sharing every piece of work out costs more than it
// should: a TwoLayerNet step runs ~1.4× faster on two threads than on one (its serial stretches
// and hand-offs), a whole accuracy pass ~1.9×. So at an epoch's end the trainer copies the
// parameters, publishes both passes (training and test set) as one background job
// (assembly/gemm/threads.ts publishBackground), and steps on alone until the counts are in —
// a few hundred steps later — then shares the steps out again.
//
// The counts are integers summed over chunks, so they are exactly what evaluateAccuracy gives
// for the same parameters (the copy taken at the epoch's end); only the moment onEpoch hears of
// them moves. One epoch at most is out at a time: the next epoch's end finishes it first.
import { getCore } from "../core/core.js";
import { ScratchnetError } from "../errors.js";
import { show } from "../quote.js";
import { Arena } from "../memory/arena.js";
import { GEMM_SCRATCH_BYTES } from "../memory/fixed.js";
import { paramBlockPtr } from "../memory/param-block.js";
import { Int32Workspace } from "../memory/workspace.js";
import { ptrOf, wasmTensor } from "../tensor.js";
import type { WasmBlock } from "../memory/block.js";
import type { TwoLayerNet } from "../nets/two-layer-net.js";
import { datasetMemory, type ImageDataset } from "../data/dataset.js";
import { fusedAccuracyApplies } from "./two-layer-accuracy.js";
import type { TrainableNet } from "./trainable.js";

/** An epoch's accuracies, for the parameters as they were after step `iter`. */
export interface EpochCounts {
  iter: number;
  trainAcc: number;
  testAcc: number;
}

export class BackgroundAccuracy {
  readonly #arena = new Arena("trainNet's background accuracy");
  readonly #params: WasmBlock; // the copy the workers read while the net's own ones change
  readonly #scratch: WasmBlock; // one slot per thread
  readonly #slots: number;
  readonly #area: WasmBlock; // packed W1 and list slots: the main thread keeps its own for the steps
  readonly #result = new Int32Workspace(this.#arena);
  #out: number | null = null; // iter of the epoch being counted

  /** One for this run, or null when the passes cannot go to a worker (then evaluate as usual). */
  static create(net: TrainableNet, train: ImageDataset, test: ImageDataset): BackgroundAccuracy | null {
    const core = getCore();
    if (core.pool === null || core.exports.threadCount() < 2) return null;
    if (!fusedAccuracyApplies(net, train) || !fusedAccuracyApplies(net, test)) return null;
    return new BackgroundAccuracy(net, train, test, core.exports.threadCount());
  }

  private constructor(
    private readonly net: TwoLayerNet,
    private readonly train: ImageDataset,
    private readonly test: ImageDataset,
    threads: number,
  ) {
    const k = getCore().kernels(net.dtype);
    const slotBytes = Number(k.twoLayerAccuracySlotBytes(net.inputSize, net.hiddenSize, net.outputSize));
    const paramBytes = net.paramBlock.length * net.paramBlock.all().data.BYTES_PER_ELEMENT;
    this.#slots = threads;
    this.#arena.reserve([paramBytes, threads * slotBytes, GEMM_SCRATCH_BYTES, 16], "the accuracy passes' copy of the parameters and scratch");
    this.#params = this.#arena.alloc(paramBytes, "a copy of the parameters");
    this.#scratch = this.#arena.alloc(threads * slotBytes, "its per-thread rows");
    this.#area = this.#arena.alloc(GEMM_SCRATCH_BYTES, "its packed panels");
    this.#result.reserve(2);
  }

  /** Is an epoch being counted? */
  get busy(): boolean {
    return this.#out !== null;
  }

  /**
   * Start counting both sets for the net's parameters as they are now (after step `iter`).
   * False when no worker could take it (another thread count since, or none free): then the
   * caller evaluates now, as without this class.
   */
  start(iter: number): boolean {
    if (this.#out !== null) throw new Error("scratchnet: internal: BackgroundAccuracy.start while an epoch is out");
    const net = this.net, params = net.paramBlock;
    const copy = wasmTensor(this.#params, 0, [params.length], net.dtype);
    copy.data.set(params.all().data);
    const at = (t: Parameters<typeof ptrOf>[0]) => this.#params.ptr + (ptrOf(t) - paramBlockPtr(params));
    const p = params.tensors;
    const train = datasetMemory(this.train, "trainNet"), test = datasetMemory(this.test, "trainNet");
    const started = getCore().kernels(net.dtype).twoLayerAccuracyBackground(
      at(p.W1), at(p.b1), at(p.W2), at(p.b2),
      train.imagesPtr, train.labelsPtr, this.train.count, this.train.normalize ? 1 : 0,
      test.imagesPtr, test.labelsPtr, this.test.count, this.test.normalize ? 1 : 0,
      net.inputSize, net.hiddenSize, net.outputSize, net.activation === "sigmoid" ? 1 : 0,
      this.#scratch.ptr, this.#slots, this.#area.ptr, GEMM_SCRATCH_BYTES, this.#result.ptr,
    );
    if (started) this.#out = iter;
    return Boolean(started);
  }

  /** The epoch's accuracies once its counting is done (ended here), else null. Cheap: one atomic read. */
  poll(): EpochCounts | null {
    if (this.#out === null || !getCore().exports.backgroundDone()) return null;
    return this.finish();
  }

  /** Wait for the epoch being counted (this thread takes the chunks nobody has yet) and return it; null if none is out. */
  finish(): EpochCounts | null {
    if (this.#out === null) return null;
    getCore().exports.finishBackground();
    const iter = this.#out;
    this.#out = null;
    // a set disposed meanwhile (by a callback) was counted from freed memory: an error, not a count
    for (const [role, set] of [["training", this.train], ["test", this.test]] as const) {
      try {
        datasetMemory(set, "trainNet");
      } catch (error) {
        throw new ScratchnetError("trainNet", `the ${role} set '${show(set.name)}' was disposed while its accuracy at iteration ${iter} ` +
          "was being counted; dispose a dataset only after the run that uses it", { cause: error });
      }
    }
    const [trainCorrect, testCorrect] = this.#result.values;
    return { iter, trainAcc: trainCorrect / this.train.count, testAcc: testCorrect / this.test.count };
  }

  /** End any counting (its result dropped) and free the copies. */
  dispose(): void {
    if (this.#out !== null) getCore().exports.finishBackground();
    this.#out = null;
    this.#arena.dispose();
  }
}
