// Layers compute on 2-D [rows×cols] buffers. A 1-D input is one row (the book's single
// sample); higher ranks are flattened after the first axis (the book's Affine reshape).
import { isTensor, type Tensor } from "../tensor.js";
import { fail } from "../shape.js";
import { describeValue } from "../check.js";

export function asMatrix(x: Tensor, where: string): [rows: number, cols: number] {
  const rows = matrixRows(x, where);
  return [rows, x.size / rows];
}

/** The same checks as asMatrix, returning only the row count (cols = x.size / rows): no array per call. */
export function matrixRows(x: Tensor, where: string): number {
  if (!isTensor(x)) fail(where, `x must be a Tensor (make one with Tensor.from), got ${describeValue(x)}`);
  if (x.shape.length === 0) fail(where, "x is a scalar (shape []); expected at least one axis");
  if (x.shape.length === 1) {
    if (x.shape[0] === 0) fail(where, "x is empty (shape [0])");
    return 1;
  }
  const rows = x.shape[0];
  const cols = x.size / Math.max(rows, 1);
  if (rows === 0) fail(where, `empty batch: x has shape [${x.shape.join(", ")}]`);
  if (cols === 0) fail(where, `x has shape [${x.shape.join(", ")}] with no features`);
  return rows;
}
