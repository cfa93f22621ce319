// One allocation of wasm memory. Blocks are internal: only arenas (a net's, a dataset's, a
// sampler's, an optimizer's) and the per-call scratch hold them, and their owners free them
// explicitly with dispose(). A freed block refuses every later use, so a tensor that still
// points at it throws a ScratchnetError instead of reading (or writing) memory that now
// belongs to someone else.
//
// The FinalizationRegistry is a backstop only: it returns the bytes of a block whose owner was
// dropped without dispose() once the garbage collector notices, which may be never in a
// synchronous loop. Nothing in the library or its tests relies on it (see docs/memory.md).
import { getCore } from "../core/core.js";
import { ScratchnetError } from "../errors.js";

const backstop = new FinalizationRegistry<number>((ptr) => getCore().allocator.release(ptr));

export class WasmBlock {
  #ptr: number;
  readonly byteLength: number;

  constructor(byteLength: number) {
    this.#ptr = getCore().allocator.alloc(byteLength);
    this.byteLength = byteLength;
    backstop.register(this, this.#ptr, this);
  }

  /** Byte address in wasm memory. */
  get ptr(): number {
    if (this.#ptr < 0) {
      throw new ScratchnetError("scratchnet", "use of a freed memory block: its owner (a net, dataset, sampler or optimizer) " +
        "was disposed, or it held a layer output that a later call replaced; clone() results you want to keep");
    }
    return this.#ptr;
  }

  get freed(): boolean {
    return this.#ptr < 0;
  }

  /** Give the bytes back now. Views into the block must not be used afterwards (they throw). */
  free(): void {
    if (this.#ptr < 0) return;
    backstop.unregister(this);
    getCore().allocator.release(this.#ptr);
    this.#ptr = -1;
  }
}
