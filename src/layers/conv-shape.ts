// Shape checks shared by Convolution and Pooling: NCHW input, whole-number output sizes.
import { isTensor, type Tensor } from "../tensor.js";
import { fail, formatShape } from "../shape.js";
import { describeValue } from "../check.js";

/** [N, C, H, W] of a 4-D tensor, or an error naming the layer and the shape it got. */
export function nchw(x: Tensor, where: string): readonly [N: number, C: number, H: number, W: number] {
  if (!isTensor(x)) fail(where, "x must be a Tensor in NCHW layout (make one with Tensor.from)");
  if (x.shape.length !== 4) fail(where, `x must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  if (x.size === 0) fail(where, `x is empty (shape ${formatShape(x.shape)})`);
  return x.shape as readonly [number, number, number, number];
}

/**
 * (size + 2·pad − window) / stride + 1, which must be a whole number ≥ 1. The book's code
 * truncates silently and then fails in a reshape (or drops the last row); we say why instead.
 */
export function windowOutputSize(
  size: number, window: number, stride: number, pad: number, where: string, axis: string, xShape: readonly number[], windowDesc: string,
): number {
  const span = size + 2 * pad - window;
  if (span < 0) {
    fail(where, `${windowDesc} is larger than the padded input ${axis} ${size + 2 * pad} (x ${formatShape(xShape)}, pad ${pad})`);
  }
  if (span % stride !== 0) {
    fail(where, `output ${axis} (${size} + 2·${pad} − ${window}) / ${stride} + 1 = ${span / stride + 1} is not an integer ` +
      `(x ${formatShape(xShape)}, ${windowDesc}, stride ${stride}, pad ${pad}); change pad or stride`);
  }
  return span / stride + 1;
}

/** stride ≥ 1 and pad ≥ 0, as integers. */
export function checkStridePad(stride: unknown, pad: unknown, where: string): void {
  if (typeof stride !== "number" || !Number.isInteger(stride) || stride < 1) fail(where, `stride must be an integer ≥ 1, got ${describeValue(stride)}`);
  if (typeof pad !== "number" || !Number.isInteger(pad) || pad < 0) fail(where, `pad must be an integer ≥ 0, got ${describeValue(pad)}`);
}
