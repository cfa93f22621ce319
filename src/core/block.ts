// A block of wasm memory with an owner on the JS side. Blocks free themselves when their
// owner is garbage-collected (FinalizationRegistry), so users never call dispose() in normal
// use; `free()` exists for code that wants memory back at a known moment.
import { getCore } from "./core.js";

const registry = new FinalizationRegistry<number>((ptr) => getCore().allocator.release(ptr));

export class WasmBlock {
  private _ptr: number;

  constructor(readonly byteLength: number) {
    this._ptr = getCore().allocator.alloc(byteLength);
    registry.register(this, this._ptr, this);
  }

  /** Byte address in wasm memory. */
  get ptr(): number {
    if (this._ptr < 0) throw new Error("scratchnet: use of a freed memory block");
    return this._ptr;
  }

  get freed(): boolean {
    return this._ptr < 0;
  }

  /** Give the bytes back now. Views into the block must not be used afterwards. */
  free(): void {
    if (this._ptr < 0) return;
    registry.unregister(this);
    getCore().allocator.release(this._ptr);
    this._ptr = -1;
  }
}
