// Max pooling (§7.4.4). The book reaches it through im2col (one row per window, max over the
// row, then reshape + transpose(0,3,1,2) back to NCHW); here one kernel walks the windows of
// the NCHW input and writes the NCHW output directly, so neither the col matrix nor the
// transposes exist. Semantics are the book's: padding is zeros that take part in the max, and
// argMax holds the first maximal tap (np.argmax order) of each window, ky·poolW + kx.
// backward routes each dout to its window's argMax pixel; overlapping windows add up.
// backwardRelu also takes the ReLU before the pool along (a window passes its gradient only if
// its maximum is > 0): one pass over the input-sized dx instead of two.
import { getCore } from "../core/core.js";
import { Int32Workspace, Workspace } from "../memory/workspace.js";
import { arenaOf } from "../memory/arena.js";
import { closeScratch, heapBytes, intBytes, openScratch, stageIn, stageInts, stageOut } from "../memory/scratch.js";
import { checkTensor, type Tensor } from "../tensor.js";
import { checkPositiveInt, fail, formatShape } from "../shape.js";
import type { Layer } from "./layer.js";
import { checkStridePad, nchw, windowOutputSize } from "./conv-shape.js";

export class Pooling implements Layer {
  readonly #poolH: number;
  readonly #poolW: number;
  readonly #stride: number;
  readonly #pad: number;
  #x: Tensor | null = null;
  #out: Tensor | null = null;
  #outH = 0;
  #outW = 0;
  #outWs: Workspace | null = null;
  #dxWs: Workspace | null = null;
  #argMaxWs: Int32Workspace | null = null;

  constructor(poolH: number, poolW: number, stride = 1, pad = 0) {
    this.#poolH = checkPositiveInt(poolH, "poolH", "Pooling");
    this.#poolW = checkPositiveInt(poolW, "poolW", "Pooling");
    checkStridePad(stride, pad, "Pooling");
    this.#stride = stride;
    this.#pad = pad;
  }

  get poolH(): number { return this.#poolH; }
  get poolW(): number { return this.#poolW; }
  get stride(): number { return this.#stride; }
  get pad(): number { return this.#pad; }
  /** The input of the last forward. */
  get x(): Tensor | null { return this.#x; }

  /**
   * Index of the maximum inside each window, NCHW order [N, C, OH, OW], as int32. (The book's
   * arg_max is the same numbers in (N, OH, OW, C) order.) A copy: backward routes gradients by
   * these indices, so the layer's own ones must not be writable from outside.
   */
  get argMax(): Int32Array | null {
    return this.#x === null || this.#argMaxWs === null ? null : this.#argMaxWs.values.slice();
  }

  /** x [N, C, H, W] → [N, C, OH, OW]. The returned tensor is reused by the next call. */
  forward(x: Tensor): Tensor {
    const where = "Pooling.forward";
    const [N, C, H, W] = nchw(x, where);
    const win = `pool window ${this.#poolH}×${this.#poolW}`;
    const OH = windowOutputSize(H, this.#poolH, this.#stride, this.#pad, where, "height", x.shape, win);
    const OW = windowOutputSize(W, this.#poolW, this.#stride, this.#pad, where, "width", x.shape, win);
    const arena = arenaOf(this);
    const out = (this.#outWs ??= new Workspace(arena)).like([N, C, OH, OW], x.dtype);
    const argMaxWs = (this.#argMaxWs ??= new Int32Workspace(arena));
    argMaxWs.reserve(out.size);
    const k = getCore().kernels(x.dtype);
    const heapArgMax = argMaxWs.inWasm ? null : argMaxWs.values;
    openScratch(heapBytes(out) + heapBytes(x) + (heapArgMax === null ? 0 : intBytes(heapArgMax)));
    const argMax = heapArgMax === null ? argMaxWs.ptr : stageInts(heapArgMax, true);
    if (this.#isTwoByTwo()) {
      k.maxPool2x2Forward(stageOut(out), argMax, stageIn(x), N, C, H, W);
    } else {
      k.maxPoolForward(stageOut(out), argMax, stageIn(x), N, C, H, W, this.#poolH, this.#poolW, this.#stride, this.#pad);
    }
    closeScratch();
    this.#x = x;
    this.#out = out;
    this.#outH = OH;
    this.#outW = OW;
    return out;
  }

  /** dout [N, C, OH, OW] → dx [N, C, H, W]. */
  backward(dout: Tensor): Tensor {
    return this.#backward(dout, false, "Pooling.backward");
  }

  /**
   * The dx of a ReLU whose output this pool took: `relu.backward(pool.backward(dout))`, bit for
   * bit, in one pass. Only the window maxima receive a gradient, so the ReLU's test (its output
   * > 0) is the maximum's, which the forward kept. Valid only if the last forward's input was the
   * ReLU's output (nets/layer-walk.ts checks that). The returned tensor is reused by the next call.
   */
  backwardRelu(dout: Tensor): Tensor {
    return this.#backward(dout, true, "Pooling.backwardRelu");
  }

  #backward(dout: Tensor, relu: boolean, where: string): Tensor {
    const x = this.#x;
    if (x === null) fail(where, "call forward before backward");
    checkTensor(dout, "dout", where);
    const [N, C, H, W] = x.shape;
    if (dout.dtype !== x.dtype) fail(where, `dout is ${dout.dtype} but forward ran in ${x.dtype}`);
    if (dout.ndim !== 4 || dout.shape[0] !== N || dout.shape[1] !== C || dout.shape[2] !== this.#outH || dout.shape[3] !== this.#outW) {
      fail(where, `dout has shape ${formatShape(dout.shape)} but forward produced [${N}, ${C}, ${this.#outH}, ${this.#outW}]`);
    }
    const dx = (this.#dxWs ??= new Workspace(arenaOf(this))).like(x.shape, dout.dtype);
    const argMaxWs = this.#argMaxWs as Int32Workspace;
    const heapArgMax = argMaxWs.inWasm ? null : argMaxWs.values;
    const k = getCore().kernels(dout.dtype);
    const out = this.#out as Tensor;
    openScratch(heapBytes(dx) + heapBytes(dout) + (relu ? heapBytes(out) : 0) + (heapArgMax === null ? 0 : intBytes(heapArgMax)));
    const argMax = heapArgMax === null ? argMaxWs.ptr : stageInts(heapArgMax);
    const maxima = relu ? stageIn(out) : 0; // 0: no ReLU taken along
    if (this.#isTwoByTwo()) k.maxPool2x2Backward(stageOut(dx), stageIn(dout), argMax, maxima, N, C, H, W);
    else k.maxPoolBackward(stageOut(dx), stageIn(dout), argMax, maxima, N, C, H, W, this.#poolH, this.#poolW, this.#stride, this.#pad);
    closeScratch();
    return dx;
  }

  /** 2×2 windows, stride 2, no padding (SimpleConvNet's pool): kernels with a shorter path. */
  #isTwoByTwo(): boolean {
    return this.#poolH === 2 && this.#poolW === 2 && this.#stride === 2 && this.#pad === 0;
  }
}
