// The raw wasm exports (see assembly/index.ts). Pointers are byte offsets into the memory.

type Ptr = number;

/** Kernels compiled once per element type; `_f32`/`_f64` suffixes in the wasm. */
export interface TypedKernelExports {
  gemmAB(C: Ptr, A: Ptr, B: Ptr, bias: Ptr, M: number, N: number, K: number, sai: number, sak: number): void;
  gemmABt(C: Ptr, A: Ptr, B: Ptr, M: number, N: number, K: number): void;
  reluForward(out: Ptr, x: Ptr, n: number): void;
  reluBackward(dx: Ptr, dout: Ptr, out: Ptr, n: number): void;
  sigmoidForward(out: Ptr, x: Ptr, n: number): void;
  sigmoidBackward(dx: Ptr, dout: Ptr, out: Ptr, n: number): void;
  columnSum(db: Ptr, dout: Ptr, rows: number, cols: number): void;
  sgdUpdate(p: Ptr, g: Ptr, lr: number, n: number): void;
  firstNonFinite(x: Ptr, n: number): number;
  softmaxRows(y: Ptr, x: Ptr, N: number, C: number): void;
  crossEntropyOneHot(y: Ptr, t: Ptr, N: number, C: number): number;
  crossEntropyLabels(y: Ptr, labels: Ptr, N: number, C: number): number;
  softmaxLossBackwardOneHot(dx: Ptr, y: Ptr, t: Ptr, N: number, C: number): void;
  softmaxLossBackwardLabels(dx: Ptr, y: Ptr, labels: Ptr, N: number, C: number): void;
  argmaxRows(out: Ptr, y: Ptr, N: number, C: number): void;
  countCorrect(y: Ptr, labels: Ptr, N: number, C: number): number;
  fillNormal(out: Ptr, n: number, std: number, state: Ptr): void;
  fillBernoulliMask(out: Ptr, n: number, ratio: number, state: Ptr): void;
  gatherRowsU8(out: Ptr, src: Ptr, idx: Ptr, batch: number, rowLen: number, normalize: boolean | number): void;
  oneHotRows(out: Ptr, labels: Ptr, N: number, C: number): void;
}

export const TYPED_KERNEL_NAMES: readonly (keyof TypedKernelExports)[] = [
  "gemmAB", "gemmABt", "reluForward", "reluBackward", "sigmoidForward", "sigmoidBackward",
  "columnSum", "sgdUpdate", "firstNonFinite", "softmaxRows", "crossEntropyOneHot",
  "crossEntropyLabels", "softmaxLossBackwardOneHot", "softmaxLossBackwardLabels", "argmaxRows",
  "countCorrect", "fillNormal", "fillBernoulliMask", "gatherRowsU8", "oneHotRows",
];

/** Exports that do not depend on the element type. */
export interface UntypedExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  rngSeed(state: Ptr, seedLo: number, seedHi: number): void;
  rngUniform(state: Ptr): number;
  fillChoice(out: Ptr, n: number, range: number, state: Ptr): void;
  gatherLabelsU8(out: Ptr, labels: Ptr, idx: Ptr, batch: number): void;
}
