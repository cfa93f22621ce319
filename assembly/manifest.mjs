// The kernel ABI: every function the wasm module exports, written once. `assembly/codegen.mjs`
// (run by `npm run build:wasm`) turns it into
//   assembly/exports.generated.ts   the wasm exports: `<name>_f32` / `<name>_f64` wrappers that
//                                   instantiate the generic kernel, and untyped functions as they are
//   assembly/gemm/plan-codes.generated.ts   the GEMM plan bits as AssemblyScript constants
//   src/core/kernels.generated.ts   TypedKernelExports (one table per dtype), WasmExports, the
//                                   export names, bindKernels() and the plan bits for TypeScript
// and test/unit/assembly/manifest.test.ts checks the built .wasm files export exactly these names.
//
// A kernel is `name(param: type, …): result` (no result: void). Types: ptr (a byte address
// in wasm memory), usize (a byte count), i32, u32, f64, bool, and T — the element type of the
// dtype (f32 or f64). `module` is the file under assembly/ that exports the function of that
// name; `dtypes` lists the element types it is compiled for (`[]`: exported once, by its own
// name). Outputs first, then inputs, then sizes (docs/design.md).
export const MODULES = [
  { module: "gemm/gemm", dtypes: ["f32", "f64"], doc: "matrix products (the plan picks tiles, sparse rows or scatter, and threads)", kernels: [
    "gemmAB(C: ptr, A: ptr, B: ptr, bias: ptr, M: i32, N: i32, K: i32, sai: i32, sak: i32)",
    "gemmABt(C: ptr, A: ptr, B: ptr, M: i32, N: i32, K: i32)",
  ] },
  { module: "gemm/tiles", dtypes: ["f32", "f64"], doc: "the dense recipe alone (no packing, skipping or threads): the tests' reference path", kernels: [
    "gemmABRows(C: ptr, A: ptr, B: ptr, bias: ptr, N: i32, K: i32, sai: i32, sak: i32, i0: i32, i1: i32)",
  ] },
  { module: "elementwise", dtypes: ["f32", "f64"], doc: "activations, bias sums, input checks", kernels: [
    "reluForward(out: ptr, x: ptr, n: i32)",
    "reluBackward(dx: ptr, dout: ptr, out: ptr, n: i32)",
    "sigmoidForward(out: ptr, x: ptr, n: i32)",
    "sigmoidBackward(dx: ptr, dout: ptr, out: ptr, n: i32)",
    "columnSum(db: ptr, dout: ptr, rows: i32, cols: i32)",
    "firstNonFinite(x: ptr, n: i32): i32",
  ] },
  { module: "softmax", dtypes: ["f32", "f64"], doc: "SoftmaxWithLoss, argmax, accuracy counts", kernels: [
    "softmaxRows(y: ptr, x: ptr, N: i32, C: i32)",
    "crossEntropyOneHot(y: ptr, t: ptr, N: i32, C: i32): f64",
    "crossEntropyLabels(y: ptr, labels: ptr, N: i32, C: i32): f64",
    "softmaxLossBackwardOneHot(dx: ptr, y: ptr, t: ptr, N: i32, C: i32)",
    "softmaxLossBackwardLabels(dx: ptr, y: ptr, labels: ptr, N: i32, C: i32)",
    "argmaxRows(out: ptr, y: ptr, N: i32, C: i32)",
    "countCorrect(y: ptr, labels: ptr, N: i32, C: i32): i32",
  ] },
  { module: "random", dtypes: ["f32", "f64"], doc: "seeded random fills (xoshiro256** in wasm)", kernels: [
    "fillNormal(out: ptr, n: i32, std: f64, state: ptr)",
    "fillBernoulliMask(out: ptr, n: i32, ratio: f64, state: ptr)",
  ] },
  { module: "data", dtypes: ["f32", "f64"], doc: "minibatches: uint8 rows to floats (split over threads), one-hot rows", kernels: [
    "gatherRowsU8(out: ptr, src: ptr, idx: ptr, batch: i32, rowLen: i32, normalize: bool)",
    "oneHotRows(out: ptr, labels: ptr, N: i32, C: i32)",
  ] },
  { module: "im2col", dtypes: ["f32", "f64"], doc: "convolution patches (book §7.4)", kernels: [
    "im2col(col: ptr, x: ptr, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sn: i32, sp: i32, sk: i32)",
    "col2im(dx: ptr, col: ptr, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sn: i32, sp: i32, sk: i32)",
  ] },
  { module: "conv", dtypes: ["f32", "f64"], doc: "Convolution forward and backward over im2col columns", kernels: [
    "convForward(out: ptr, col: ptr, W: ptr, b: ptr, N: i32, FN: i32, CK: i32, P: i32)",
    "convBackwardParams(dW: ptr, db: ptr, dout: ptr, col: ptr, N: i32, FN: i32, CK: i32, P: i32)",
    "convBackwardData(dcol: ptr, W: ptr, dout: ptr, N: i32, FN: i32, CK: i32, P: i32)",
    "convLayerForward(out: ptr, col: ptr, x: ptr, W: ptr, b: ptr, N: i32, C: i32, H: i32, Wd: i32, FN: i32, FH: i32, FW: i32, stride: i32, pad: i32, relu: bool)",
  ] },
  { module: "conv-backward", dtypes: ["f32", "f64"], doc: "the Convolution layer's backward: dW, db and dx in one job", kernels: [
    "convLayerBackward(dx: ptr, dcol: ptr, dW: ptr, db: ptr, W: ptr, dout: ptr, col: ptr, N: i32, C: i32, H: i32, Wd: i32, FN: i32, FH: i32, FW: i32, stride: i32, pad: i32, dcolImages: i32)",
  ] },
  { module: "pooling", dtypes: ["f32", "f64"], doc: "max pooling", kernels: [
    "maxPoolForward(out: ptr, argMax: ptr, x: ptr, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32)",
    "maxPool2x2Forward(out: ptr, argMax: ptr, x: ptr, N: i32, C: i32, H: i32, W: i32)",
    "maxPoolBackward(dx: ptr, dout: ptr, argMax: ptr, maxima: ptr, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32)",
    "maxPool2x2Backward(dx: ptr, dout: ptr, argMax: ptr, maxima: ptr, N: i32, C: i32, H: i32, W: i32)",
  ] },
  { module: "optimizers", dtypes: ["f32", "f64"], doc: "chapter 6 optimizers over a whole parameter block", kernels: [
    "sgdUpdate(p: ptr, g: ptr, lr: T, n: i32)",
    "momentumUpdate(p: ptr, v: ptr, g: ptr, lr: f64, momentum: f64, n: i32)",
    "nesterovUpdate(p: ptr, v: ptr, g: ptr, lr: f64, momentum: f64, n: i32)",
    "adagradUpdate(p: ptr, h: ptr, g: ptr, lr: f64, n: i32)",
    "rmspropUpdate(p: ptr, h: ptr, g: ptr, lr: f64, decayRate: f64, n: i32)",
    "adamUpdate(p: ptr, m: ptr, v: ptr, g: ptr, lr: f64, beta1: f64, beta2: f64, t: i32, n: i32)",
  ] },
  { module: "batchnorm", dtypes: ["f32", "f64"], doc: "batch normalization", kernels: [
    "batchNormForwardTrain(out: ptr, xc: ptr, xn: ptr, mu: ptr, variance: ptr, std: ptr, runMean: ptr, runVar: ptr, x: ptr, gamma: ptr, beta: ptr, momentum: f64, N: i32, D: i32)",
    "batchNormForwardTest(out: ptr, runStd: ptr, x: ptr, gamma: ptr, beta: ptr, runMean: ptr, runVar: ptr, N: i32, D: i32)",
    "batchNormBackward(dx: ptr, dgamma: ptr, dbeta: ptr, scratch: ptr, dout: ptr, xn: ptr, xc: ptr, std: ptr, gamma: ptr, N: i32, D: i32)",
  ] },
  { module: "dropout", dtypes: ["f32", "f64"], doc: "dropout", kernels: [
    "multiplyMask(out: ptr, x: ptr, mask: ptr, n: i32)",
    "scaleBy(out: ptr, x: ptr, s: f64, n: i32)",
  ] },
  { module: "weight-decay", dtypes: ["f32", "f64"], doc: "the L2 penalty", kernels: [
    "sumOfSquares(x: ptr, n: i32): f64",
    "addScaled(y: ptr, x: ptr, a: f64, n: i32)",
  ] },
  { module: "twolayer", dtypes: ["f32", "f64"], doc: "the fused TwoLayerNet step: forward, loss and backward in one call", kernels: [
    "twoLayerGradient(dW1: ptr, db1: ptr, dW2: ptr, db2: ptr, W1: ptr, b1: ptr, W2: ptr, b2: ptr, x: ptr, t: ptr, oneHot: bool, h: ptr, y: ptr, dA2: ptr, dH: ptr, N: i32, D: i32, H: i32, C: i32, sigmoid: bool, src: ptr, idx: ptr, normalize: bool): f64",
  ] },
  { module: "twolayer-eval", dtypes: ["f32", "f64"], doc: "TwoLayerNet's accuracy over a uint8 dataset, one job for all its rows", kernels: [
    "twoLayerAccuracy(W1: ptr, b1: ptr, W2: ptr, b2: ptr, images: ptr, labels: ptr, count: i32, D: i32, normalize: bool, H: i32, C: i32, sigmoid: bool, scratch: ptr): i32",
    "twoLayerAccuracySlotBytes(D: i32, H: i32, C: i32): usize",
    "twoLayerAccuracyBackground(W1: ptr, b1: ptr, W2: ptr, b2: ptr, images: ptr, labels: ptr, count: i32, normalize: bool, images2: ptr, labels2: ptr, count2: i32, normalize2: bool, D: i32, H: i32, C: i32, sigmoid: bool, scratch: ptr, slots: i32, area: ptr, bytes: usize, result: ptr): bool",
  ] },
  { module: "proven-class", dtypes: [], doc: "the accuracy pass's rows proved in integers on this thread since the last call, for tests", kernels: [
    "provenRows(): i32",
  ] },
  { module: "heap", dtypes: [], doc: "the first byte the JS allocator may use", kernels: [
    "heapBase(): usize",
  ] },
  { module: "random", dtypes: [], doc: "the generator itself", kernels: [
    "rngSeed(state: ptr, seedLo: u32, seedHi: u32)",
    "rngUniform(state: ptr): f64",
    "fillChoice(out: ptr, n: i32, range: u32, state: ptr)",
  ] },
  { module: "data", dtypes: [], doc: "labels of a minibatch", kernels: [
    "gatherLabelsU8(out: ptr, labels: ptr, idx: ptr, batch: i32)",
  ] },
  { module: "gemm/threads", dtypes: [], doc: "the thread pool (no-ops / 1 in the single-threaded build)", kernels: [
    "threadsAttach(ctrl: ptr, index: i32)",
    "workerWait(seen: i32, polls: i32): i32",
    "workerSleep(seen: i32): i32",
    "workerRun(index: i32, gen: i32)",
    "workerMaySpin(): bool",
    "sleepingWorkers(): i32",
    "threadCount(): i32",
    "setThreadCount(n: i32)",
    "threadGeneration(): i32",
    "workerChunks(): i32",
    "backgroundDone(): bool",
    "finishBackground()",
  ] },
  { module: "gemm/scratch", dtypes: [], doc: "GEMM scratch: packed panels and the per-thread nonzero lists", kernels: [
    "gemmScratch(ptr: ptr, bytes: usize)",
  ] },
  { module: "gemm/plan", dtypes: [], doc: "the plan the last gemmAB call ran (GEMM_PLAN bits), for tests", kernels: [
    "lastGemmPlan(): i32",
  ] },
  { module: "twolayer-stages", dtypes: [], doc: "how the last fused TwoLayerNet step cut its forward (stages over x·W1's steps, 0: by rows), and who takes the stages' middles, for tests", kernels: [
    "lastStepStages(): i32",
    "setStageMiddles(policy: i32)",
  ] },
];

// What gemmAB did, as bits of lastGemmPlan() (0: the plain dense 4×2 tiles on one thread).
export const GEMM_PLAN = {
  SPARSE_ROWS: 1, // mostly-zero rows of A go one at a time over their nonzero steps (gemm/sparse/rows.ts)
  SKIP_STEPS: 2, // 4-row tiles leave out steps that are zero in all four rows (gemm/sparse/steps.ts)
  PACKED: 4, // B was copied into contiguous column panels first (gemm/pack.ts)
  SCATTER: 8, // Aᵀ·B as each sample's nonzeros added into C's rows (gemm/sparse/scatter.ts)
  THREADS: 16, // split over the thread pool (gemm/threads.ts)
  RELU: 32, // the fused ReLU epilogue (the fused TwoLayerNet step's first product)
  COLUMNS: 64, // Aᵀ·B by output columns over B's nonzeros (gemm/sparse/columns.ts: dW = xᵀ·dout after a ReLU)
};
