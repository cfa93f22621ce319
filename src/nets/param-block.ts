// One contiguous block of wasm memory holding several named tensors (after llm.c): a net's
// parameters live in one block and its gradients in a second with the same layout, so an
// optimizer update or a save is a single pass over one range.
import { WasmBlock } from "../core/block.js";
import { Tensor } from "../tensor.js";
import { bytesPerElement, type DType } from "../dtype.js";
import type { Shape } from "../shape.js";

export type ParamSpec = readonly (readonly [name: string, shape: Shape])[];

export class ParamBlock<Name extends string = string> {
  readonly block: WasmBlock;
  readonly tensors: Record<Name, Tensor>;
  /** Elements in the block, padding included (padding stays zero in params and grads alike). */
  readonly length: number;

  constructor(readonly spec: ParamSpec, readonly dtype: DType) {
    const bpe = bytesPerElement(dtype);
    const offsets: number[] = [];
    let bytes = 0;
    for (const [, shape] of spec) {
      offsets.push(bytes);
      const n = shape.reduce((a, b) => a * b, 1);
      bytes += Math.ceil((n * bpe) / 16) * 16; // keep every tensor 16-byte aligned for v128 loads
    }
    this.block = new WasmBlock(Math.max(bytes, 16));
    this.length = bytes / bpe;
    const tensors = {} as Record<Name, Tensor>;
    spec.forEach(([name, shape], i) => {
      tensors[name as Name] = new Tensor(this.block, offsets[i], shape, dtype);
    });
    this.tensors = tensors;
    this.all().data.fill(0);
  }

  /** Address of the first element. */
  get ptr(): number {
    return this.block.ptr;
  }

  /** All elements as one flat view (used by optimizers and serialisation). */
  all(): Tensor {
    return new Tensor(this.block, 0, [this.length], this.dtype);
  }
}
