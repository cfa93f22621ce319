// Affine (§5.6.2): out = x·W + b. backward: dx = dout·Wᵀ, dW = xᵀ·dout, db = Σ_rows dout.
// dW and db are overwritten each backward (the book assigns them), never accumulated.
// Inside a net every operand is in the net's wasm arena and the kernels get addresses; a
// standalone Affine (user-made W, b on the JS heap) runs the same kernels on per-call scratch.
import { getCore } from "../core/core.js";
import { Workspace } from "../memory/workspace.js";
import { arenaOf } from "../memory/arena.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageOut } from "../memory/scratch.js";
import { Tensor, checkTensor, isTensor } from "../tensor.js";
import { fail, formatShape } from "../shape.js";
import type { Layer } from "./layer.js";
import { matrixRows } from "./matrix.js";

export class Affine implements Layer {
  readonly #W: Tensor; // [D×H]
  readonly #b: Tensor; // [H]
  readonly #dW: Tensor;
  readonly #db: Tensor;
  #x: Tensor | null = null;
  #xRows = 0;
  #outWs: Workspace | null = null;
  #dxWs: Workspace | null = null;

  /** `grads` lets a net place dW/db inside its gradient block; standalone layers get their own. */
  constructor(W: Tensor, b: Tensor, grads?: { dW: Tensor; db: Tensor }) {
    if (!isTensor(W) || W.ndim !== 2) fail("Affine", `W must be a 2-D Tensor, got ${isTensor(W) ? formatShape(W.shape) : typeof W}`);
    if (!isTensor(b) || b.ndim !== 1 || b.size !== W.shape[1]) {
      fail("Affine", `b must be a 1-D Tensor of length ${W.shape[1]} to match W ${formatShape(W.shape)}, got ${isTensor(b) ? formatShape(b.shape) : typeof b}`);
    }
    if (b.dtype !== W.dtype) fail("Affine", `W is ${W.dtype} but b is ${b.dtype}`);
    if (grads !== undefined) checkGrads(grads, W, b, "Affine");
    this.#W = W;
    this.#b = b;
    this.#dW = grads?.dW ?? Tensor.zeros(W.shape, W.dtype);
    this.#db = grads?.db ?? Tensor.zeros(b.shape, b.dtype);
  }

  get W(): Tensor { return this.#W; }
  get b(): Tensor { return this.#b; }
  get dW(): Tensor { return this.#dW; }
  get db(): Tensor { return this.#db; }
  /** The input of the last forward (the book's self.x). */
  get x(): Tensor | null { return this.#x; }

  forward(x: Tensor): Tensor {
    // no array destructuring here: each one allocated an iterator per call (~130 B/step)
    const N = matrixRows(x, "Affine.forward");
    const D = x.size / N;
    const W = this.#W, b = this.#b;
    const Din = W.shape[0], H = W.shape[1];
    if (x.dtype !== W.dtype) fail("Affine.forward", `x is ${x.dtype} but W is ${W.dtype}; convert with x.clone('${W.dtype}')`);
    if (D !== Din) fail("Affine.forward", `x has shape ${formatShape(x.shape)} but W has shape ${formatShape(W.shape)}: each row of x needs ${Din} values, got ${D}`);
    const out = (this.#outWs ??= new Workspace(arenaOf(this))).matrix(N, H, x.dtype);
    openScratch(heapBytes(out) + heapBytes(x) + heapBytes(W) + heapBytes(b));
    getCore().kernels(x.dtype).gemmAB(stageOut(out), stageIn(x), stageIn(W), stageIn(b), N, H, D, D, 1);
    closeScratch();
    this.#x = x;
    this.#xRows = N;
    return out;
  }

  backward(dout: Tensor): Tensor {
    this.backwardParams(dout);
    const W = this.#W, x = this.#x as Tensor;
    const D = W.shape[0], H = W.shape[1];
    const N = this.#xRows;
    const dx = (this.#dxWs ??= new Workspace(arenaOf(this))).like(x.shape, x.dtype); // the book restores x's original shape
    openScratch(heapBytes(dx) + heapBytes(dout) + heapBytes(W));
    getCore().kernels(dout.dtype).gemmABt(stageOut(dx), stageIn(dout), stageIn(W), N, D, H);
    closeScratch();
    return dx;
  }

  /**
   * dW and db only. A net's first layer has no one to pass dx to, so skipping it saves the
   * largest product of the step (N×H×784 multiply-adds). Returns nothing on purpose.
   */
  backwardParams(dout: Tensor): void {
    const where = "Affine.backward";
    const x = this.#x;
    if (x === null) fail(where, "call forward before backward");
    checkTensor(dout, "dout", where);
    const W = this.#W;
    const D = W.shape[0], H = W.shape[1];
    const N = this.#xRows;
    if (dout.dtype !== W.dtype) fail(where, `dout is ${dout.dtype} but W is ${W.dtype}`);
    if (dout.ndim !== 2 || dout.shape[0] !== N || dout.shape[1] !== H) {
      fail(where, `dout has shape ${formatShape(dout.shape)} but forward produced [${N}, ${H}]`);
    }
    const dW = this.#dW, db = this.#db;
    openScratch(heapBytes(dW) + heapBytes(db) + heapBytes(x) + heapBytes(dout));
    const pdW = stageOut(dW), pdb = stageOut(db), px = stageIn(x), pdout = stageIn(dout);
    const k = getCore().kernels(dout.dtype);
    // dW[D×H] = xᵀ·dout: x is [N×D], read transposed through strides (sai=1, sak=D)
    k.gemmAB(pdW, px, pdout, 0, D, H, N, 1, D);
    k.columnSum(pdb, pdout, N, H);
    closeScratch();
  }
}

/** A net's gradient tensors must match the parameters exactly (a smaller dW would be written past its end). */
export function checkGrads(grads: { dW: Tensor; db: Tensor }, W: Tensor, b: Tensor, where: string): void {
  if (typeof grads !== "object" || grads === null) fail(where, "grads must be { dW, db }");
  const { dW, db } = grads;
  if (!isTensor(dW) || !isTensor(db) || dW.size !== W.size || db.size !== b.size || dW.dtype !== W.dtype || db.dtype !== W.dtype) {
    fail(where, `gradient tensors dW / db must be ${W.dtype} Tensors shaped like W ${formatShape(W.shape)} / b ${formatShape(b.shape)}`);
  }
}
