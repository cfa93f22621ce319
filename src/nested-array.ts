// Nested plain arrays (the book's np.array([[…], […]])) as a flat list and a shape, refused
// with a named error when ragged, holding non-arrays at the wrong depth, or deeper than any
// shape may be (a 20 000-deep array must not overflow the stack).
import { MAX_RANK, checkShape, fail } from "./shape.js";

export type NestedArray = number | readonly NestedArray[];

export function flatten(data: readonly NestedArray[], where: string): { flat: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    if (shape.length === MAX_RANK) fail(where, `nested arrays are more than ${MAX_RANK} levels deep`);
    shape.push(probe.length);
    probe = (probe as readonly NestedArray[])[0];
    if (probe === undefined) break;
  }
  checkShape(shape, where); // before walking: the element count is bounded
  const flat: number[] = [];
  const walk = (node: NestedArray, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (Array.isArray(node)) fail(where, `ragged nested array: element at [${path.join(", ")}] is an array, expected a number`);
      flat.push(node as number);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      fail(where, `ragged nested array: element at [${path.join(", ")}] should be an array of length ${shape[dim]}`);
    }
    for (let i = 0; i < (node as readonly NestedArray[]).length; i++) {
      path.push(i);
      walk((node as readonly NestedArray[])[i], dim + 1, path);
      path.pop();
    }
  };
  walk(data, 0, []);
  return { flat, shape };
}
