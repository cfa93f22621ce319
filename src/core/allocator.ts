// Who owns which bytes of wasm memory. The wasm module never allocates; this first-fit
// free list (with coalescing) hands out 16-byte aligned blocks above __heap_base and grows
// the memory when nothing fits. Growth detaches typed-array views, which is why Tensor
// re-derives its view from (pointer, length) instead of caching one forever.

const ALIGN = 16; // v128 loads are fastest aligned; also the f64 requirement
const PAGE = 65536;

interface FreeRange { start: number; size: number }

export class Allocator {
  private readonly free: FreeRange[] = []; // sorted by start, never adjacent (coalesced)
  private readonly sizes = new Map<number, number>();
  private end: number; // current memory size in bytes
  bytesInUse = 0;

  constructor(private readonly memory: WebAssembly.Memory, heapBase: number) {
    const start = alignUp(heapBase, ALIGN);
    this.end = memory.buffer.byteLength;
    if (this.end > start) this.free.push({ start, size: this.end - start });
  }

  /** A block of at least `bytes` bytes; its address is a multiple of 16. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`alloc: bad byte count ${bytes}`);
    const size = Math.max(ALIGN, alignUp(bytes, ALIGN));
    let index = this.free.findIndex((r) => r.size >= size);
    if (index < 0) index = this.grow(size);
    const range = this.free[index];
    const ptr = range.start;
    if (range.size === size) this.free.splice(index, 1);
    else { range.start += size; range.size -= size; }
    this.sizes.set(ptr, size);
    this.bytesInUse += size;
    return ptr;
  }

  /** Return a block from `alloc`. Freeing twice or a foreign pointer is a bug and throws. */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`release: ${ptr} is not an allocated block`);
    this.sizes.delete(ptr);
    this.bytesInUse -= size;
    let i = 0;
    while (i < this.free.length && this.free[i].start < ptr) i++;
    this.free.splice(i, 0, { start: ptr, size });
    this.coalesce(i);
    if (i > 0) this.coalesce(i - 1);
  }

  private coalesce(i: number): void {
    const a = this.free[i], b = this.free[i + 1];
    if (b && a.start + a.size === b.start) { a.size += b.size; this.free.splice(i + 1, 1); }
  }

  /** Grow memory so a free range of `size` bytes exists at the end; returns its index. */
  private grow(size: number): number {
    const last = this.free[this.free.length - 1];
    const tailFree = last && last.start + last.size === this.end ? last.size : 0;
    const need = size - tailFree;
    // grow geometrically (at least 1/8 of current) so a series of small growths stays cheap
    const pages = Math.max(Math.ceil(need / PAGE), Math.ceil(this.end / PAGE / 8));
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new Error(`scratchnet: out of wasm memory (wanted ${size} more bytes, have ${this.end})`, { cause });
    }
    const oldEnd = this.end;
    this.end = this.memory.buffer.byteLength;
    if (tailFree) last.size += this.end - oldEnd;
    else this.free.push({ start: oldEnd, size: this.end - oldEnd });
    return this.free.length - 1;
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
