// The book's common/util.py im2col / col2im, as functions over Tensors (book layout:
// col is [N·OH·OW × C·FH·FW]). For exploring and teaching; the Convolution layer calls the
// same kernels with the transposed layout (see convolution.ts). Each call returns a new Tensor.
import { getCore } from "../core/core.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageOut } from "../memory/scratch.js";
import { Tensor, checkTensor } from "../tensor.js";
import { checkPositiveInt, checkShape, fail, formatShape, type Shape } from "../shape.js";
import { checkStridePad, nchw, windowOutputSize } from "./conv-shape.js";

/** im2col(input_data, filter_h, filter_w, stride=1, pad=0): [N, C, H, W] → [N·OH·OW, C·FH·FW]. */
export function im2col(x: Tensor, filterH: number, filterW: number, stride = 1, pad = 0): Tensor {
  const where = "im2col";
  const [N, C, H, W] = nchw(x, where);
  const { OH, OW } = geometry(where, [N, C, H, W], filterH, filterW, stride, pad);
  const K = C * filterH * filterW;
  const col = Tensor.zeros([N * OH * OW, K], x.dtype);
  openScratch(heapBytes(col) + heapBytes(x));
  getCore().kernels(x.dtype).im2col(stageOut(col), stageIn(x), N, C, H, W, filterH, filterW, stride, pad, OH * OW * K, K, 1);
  closeScratch();
  return col;
}

/** col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0): sums overlapping patches back into [N, C, H, W]. */
export function col2im(col: Tensor, inputShape: Shape, filterH: number, filterW: number, stride = 1, pad = 0): Tensor {
  const where = "col2im";
  checkTensor(col, "col", where);
  checkShape(inputShape, where);
  if (inputShape.length !== 4) fail(where, `inputShape must be [N, C, H, W], got ${formatShape(inputShape)}`);
  const [N, C, H, W] = inputShape;
  const { OH, OW } = geometry(where, inputShape, filterH, filterW, stride, pad);
  const K = C * filterH * filterW;
  if (col.ndim !== 2 || col.shape[0] !== N * OH * OW || col.shape[1] !== K) {
    fail(where, `col has shape ${formatShape(col.shape)}; input ${formatShape(inputShape)} with a ${filterH}×${filterW} filter, stride ${stride}, pad ${pad} needs [${N * OH * OW}, ${K}]`);
  }
  const dx = Tensor.zeros(inputShape, col.dtype);
  openScratch(heapBytes(dx) + heapBytes(col));
  getCore().kernels(col.dtype).col2im(stageOut(dx), stageIn(col), N, C, H, W, filterH, filterW, stride, pad, OH * OW * K, K, 1);
  closeScratch();
  return dx;
}

function geometry(where: string, shape: Shape, FH: number, FW: number, stride: number, pad: number): { OH: number; OW: number } {
  checkPositiveInt(FH, "filterH", where);
  checkPositiveInt(FW, "filterW", where);
  checkStridePad(stride, pad, where);
  const f = `filter ${FH}×${FW}`;
  return {
    OH: windowOutputSize(shape[2], FH, stride, pad, where, "height", shape, f),
    OW: windowOutputSize(shape[3], FW, stride, pad, where, "width", shape, f),
  };
}
