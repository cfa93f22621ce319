// Nested plain arrays (the book's np.array([[1, 2], [3, 4]])) to a flat list and a shape,
// without recursion: the nesting depth comes from the caller, and a recursive walk overflowed
// the stack on arrays nested 10 000 deep. The depth is bounded by the largest rank a tensor
// may have (MAX_RANK, as numpy), and the walk uses an explicit stack of that depth at most.
import { MAX_RANK, checkShape, fail } from "../shape.js";

export type NestedArray = number | readonly NestedArray[];

/** Flatten `data` row-major; throws for ragged arrays and nesting deeper than MAX_RANK. */
export function flattenNested(data: readonly NestedArray[], where: string): { flat: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    if (shape.length === MAX_RANK) fail(where, `arrays nested more than ${MAX_RANK} deep; a tensor has at most ${MAX_RANK} dimensions`);
    shape.push(probe.length);
    probe = probe[0];
    if (probe === undefined) break;
  }
  checkShape(shape, where); // before walking: the element count is bounded
  const flat: number[] = [];
  const rank = shape.length;
  // nodes[d] is the array being walked at depth d, at[d] the index of its next child
  const nodes: (readonly unknown[])[] = [data];
  const at: number[] = [0];
  while (nodes.length > 0) {
    const d = nodes.length - 1;
    const node = nodes[d];
    const i = at[d];
    if (i === node.length) {
      nodes.pop();
      at.pop();
      if (d > 0) at[d - 1]++;
      continue;
    }
    const child = node[i];
    if (d + 1 === rank) {
      if (Array.isArray(child)) fail(where, `ragged nested array: element at ${JSON.stringify(at)} is an array, expected a number`);
      flat.push(child as number);
      at[d]++;
      continue;
    }
    if (!Array.isArray(child) || child.length !== shape[d + 1]) {
      fail(where, `ragged nested array: element at ${JSON.stringify(at)} should be an array of length ${shape[d + 1]}`);
    }
    nodes.push(child as readonly unknown[]);
    at.push(0);
  }
  return { flat, shape };
}
