// A minibatch whose image rows are drawn but not gathered yet. The trainer draws the rows and
// their labels (train/sampler.ts) and hands them to a net that gathers them inside its own
// step: TwoLayerNet's fused step converts each thread's rows in that thread's chunk of the
// forward pass (assembly/twolayer.ts), so the rows a worker multiplies are the rows it wrote.
// Any other consumer calls gather() before it reads x.
import type { Tensor } from "../tensor.js";

export interface PendingRows {
  /** The batch tensor the rows go into (wasm memory, [n, rowLen]). */
  readonly x: Tensor;
  /** Address of the uint8 dataset's first image row. */
  readonly images: number;
  /** Address of the batch's int32 row indices (checked against the dataset when drawn). */
  readonly indices: number;
  /** The bytes are scaled to [0, 1] (÷255), as load_mnist(normalize=True). */
  readonly normalize: boolean;
  /** Gather the rows into x now. */
  gather(): void;
}

/** The method of a net that takes a drawn batch and gathers its rows itself (TwoLayerNet). */
export const gradientOfPendingRows: unique symbol = Symbol("scratchnet.gradientOfPendingRows");
