// What every net does with memory: one arena for its parameter and gradient blocks (checked
// against what wasm memory can still hold before any of it is taken), its layers placed in the
// same arena, inputs brought into it, and dispose().
//
// Inputs: a batch already in wasm memory (a sampler's, another net's output) is used where it
// is. A JS-heap tensor (Tensor.from, an array) is checked for NaN/Infinity on the heap and
// copied once into the net's input buffer, because layers keep their input until their next
// call (backward reads it) — per-call scratch would be gone by then.
import { Arena, placeIn } from "../memory/arena.js";
import { paramBlockBytes, paramBlockIn, type ParamBlock, type ParamSpec } from "../memory/param-block.js";
import { Workspace } from "../memory/workspace.js";
import { asTensor, assertFinite, heapOf, type Tensor, type TensorData } from "../tensor.js";
import type { DType } from "../dtype.js";
import { fail, formatShape } from "../shape.js";

export class NetMemory {
  readonly arena: Arena;
  readonly #input: Workspace;

  constructor(owner: string) {
    this.arena = new Arena(owner);
    this.#input = new Workspace(this.arena);
  }

  /**
   * The parameter blocks of `specs` (params, grads, buffers …), all reserved before the first is
   * taken: a net too large for wasm memory is refused with memory exactly as it was.
   */
  blocks(specs: readonly ParamSpec[], dtype: DType): ParamBlock[] {
    const where = this.arena.owner;
    this.arena.reserve(specs.map((s) => paramBlockBytes(s, dtype, where)), "its parameters and gradients");
    return specs.map((s) => paramBlockIn(this.arena, s, dtype));
  }

  /** Put layers' future outputs in this net's arena. */
  place(layers: Iterable<object>): void {
    for (const layer of layers) placeIn(layer, this.arena);
  }

  /** `x` as a checked tensor of `dtype` in wasm memory (see the top of this file). */
  input(x: TensorData, dtype: DType, where: string): Tensor {
    this.arena.checkOpen(where);
    const t = asTensor(x, dtype, where);
    if (t.dtype !== dtype) fail(where, `x is ${t.dtype} but the net is ${dtype}; convert with x.clone('${dtype}')`);
    const heap = heapOf(t);
    if (heap === null) {
      assertFinite(t, where, "x");
      return t;
    }
    for (let i = 0; i < heap.length; i++) {
      if (!Number.isFinite(heap[i])) fail(where, `x ${formatShape(t.shape)} holds ${heap[i]} at flat index ${i}; inputs must be finite`);
    }
    const copy = this.#input.like(t.shape, dtype);
    copy.data.set(heap);
    return copy;
  }

  dispose(): void {
    this.arena.dispose();
  }
}
