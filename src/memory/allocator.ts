// Who owns which bytes of wasm memory. The wasm module never allocates; this first-fit free
// list (with coalescing) hands out 16-byte aligned blocks above __heap_base and grows the
// memory when nothing fits. Growth detaches typed-array views, which is why a wasm-backed
// Tensor re-derives its view from (pointer, length) instead of caching one forever.
//
// wasm memory never shrinks, so a failed request must not grow it first: growth is checked
// against the module's maximum before `memory.grow` runs, geometric growth (⅛ of the memory,
// to keep a series of small growths cheap) falls back to the exact need near the maximum, and
// `canAllocate` lets an owner (a net, a dataset) check its whole need before taking any of it.
import { ScratchnetError } from "../errors.js";

const ALIGN = 16; // v128 loads are fastest aligned; also the f64 requirement
export const PAGE = 65536;

interface FreeRange { start: number; size: number }

export class Allocator {
  private readonly free: FreeRange[] = []; // sorted by start, never adjacent (coalesced)
  private readonly sizes = new Map<number, number>();
  private end: number; // current memory size in bytes
  private inUse = 0;

  /** `maxBytes`: what the module may grow to (wasm32: 4 GiB; the threaded build declares less). */
  constructor(private readonly memory: WebAssembly.Memory, heapBase: number, readonly maxBytes: number) {
    const start = alignUp(heapBase, ALIGN);
    this.end = memory.buffer.byteLength;
    if (this.end > start) this.free.push({ start, size: this.end - start });
  }

  /** Bytes handed out and not yet released (block sizes, alignment included). */
  get bytesInUse(): number {
    return this.inUse;
  }

  /** The bytes one request of `bytes` takes (16-byte aligned, at least 16). */
  static blockSize(bytes: number): number {
    return Math.max(ALIGN, alignUp(bytes, ALIGN));
  }

  /** A block of at least `bytes` bytes; its address is a multiple of 16. */
  alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new ScratchnetError("scratchnet allocator", `bad byte count ${bytes}`);
    const size = Allocator.blockSize(bytes);
    let index = this.free.findIndex((r) => r.size >= size);
    if (index < 0) index = this.grow(size);
    const range = this.free[index];
    const ptr = range.start;
    if (range.size === size) this.free.splice(index, 1);
    else { range.start += size; range.size -= size; }
    this.sizes.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  /** Return a block from `alloc`. Freeing twice or a foreign pointer is a bug and throws. */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new ScratchnetError("scratchnet allocator", `${ptr} is not an allocated block`);
    this.sizes.delete(ptr);
    this.inUse -= size;
    let i = 0;
    while (i < this.free.length && this.free[i].start < ptr) i++;
    this.free.splice(i, 0, { start: ptr, size });
    this.coalesce(i);
    if (i > 0) this.coalesce(i - 1);
  }

  /**
   * Would blocks of these sizes, taken in this order, all fit (in free ranges, or by growing
   * up to the maximum)? A dry run of `alloc`: nothing is taken and memory does not grow.
   */
  canAllocate(byteCounts: readonly number[]): boolean {
    const free = this.free.map((r) => ({ ...r }));
    let end = this.end;
    for (const bytes of byteCounts) {
      if (!Number.isSafeInteger(bytes) || bytes < 0) return false;
      const size = Allocator.blockSize(bytes);
      const r = free.find((f) => f.size >= size);
      if (r) { r.start += size; r.size -= size; continue; }
      // grow by exactly what is missing (the real alloc may grow more, only when it fits)
      const last = free[free.length - 1];
      const tail = last && last.start + last.size === end ? last : null;
      const blockStart = tail ? tail.start : end;
      const newEnd = end + Math.ceil((size - (tail ? tail.size : 0)) / PAGE) * PAGE;
      if (newEnd > this.maxBytes) return false;
      if (tail) free.pop();
      free.push({ start: blockStart + size, size: newEnd - blockStart - size });
      end = newEnd;
    }
    return true;
  }

  /** Bytes that could still be handed out as one block (the tail's free range plus growth room). */
  largestPossibleBlock(): number {
    const last = this.free[this.free.length - 1];
    const tailFree = last && last.start + last.size === this.end ? last.size : 0;
    let best = tailFree + (this.maxBytes - this.end);
    for (const r of this.free) best = Math.max(best, r.size);
    return best;
  }

  private coalesce(i: number): void {
    const a = this.free[i], b = this.free[i + 1];
    if (b && a.start + a.size === b.start) { a.size += b.size; this.free.splice(i + 1, 1); }
  }

  /** Grow memory so a free range of `size` bytes exists at the end; returns its index. */
  private grow(size: number): number {
    const last = this.free[this.free.length - 1];
    const tailFree = last && last.start + last.size === this.end ? last.size : 0;
    const needPages = Math.ceil((size - tailFree) / PAGE);
    const roomPages = Math.floor((this.maxBytes - this.end) / PAGE);
    if (needPages > roomPages) {
      throw new ScratchnetError("scratchnet", `out of wasm memory: a block of ${formatBytes(size)} does not fit ` +
        `(${formatBytes(this.inUse)} in use, memory ${formatBytes(this.end)} of at most ${formatBytes(this.maxBytes)}); ` +
        "dispose() nets, datasets and samplers you no longer use");
    }
    // geometric growth keeps a series of small requests cheap; near the maximum, the exact need
    const geometric = Math.min(Math.max(needPages, Math.ceil(this.end / PAGE / 8)), roomPages);
    if (!this.tryGrow(geometric) && !(geometric > needPages && this.tryGrow(needPages))) {
      throw new ScratchnetError("scratchnet", `out of wasm memory: the engine refused to grow memory from ${formatBytes(this.end)} ` +
        `by ${formatBytes(needPages * PAGE)} for a block of ${formatBytes(size)}`);
    }
    const oldEnd = this.end;
    this.end = this.memory.buffer.byteLength;
    if (tailFree) last.size += this.end - oldEnd;
    else this.free.push({ start: oldEnd, size: this.end - oldEnd });
    return this.free.length - 1;
  }

  private tryGrow(pages: number): boolean {
    try {
      this.memory.grow(pages);
      return true;
    } catch {
      return false; // a refused grow leaves the memory as it was
    }
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** "313.6 KB", "3.59 GB": sizes in messages. */
export function formatBytes(n: number): string {
  if (n < 1e3) return `${n} bytes`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} KB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}
