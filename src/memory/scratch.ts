// Per-call scratch: how a kernel receives JS-heap data. A call that has heap operands opens a
// staging window sized for all of them, copies each input into one wasm region, runs the
// kernel on the copies and copies its outputs back to their heap arrays when it closes. The
// region is reused by every call, grown to the largest need and never shrunk, so staging
// allocates no wasm memory run over run.
//
// Operands already in wasm memory (a net's parameters and workspaces, a sampler's batch)
// pass straight through: `stageIn(t)` is their address, nothing is copied. That is the
// training hot path, which therefore stays copy-free.
//
// Protocol (no user code runs inside a window, so windows never nest):
//   openScratch(heapBytes(a) + heapBytes(b) + …);  const pa = stageIn(a), pb = stageOut(b);
//   kernel(pb, pa, …);  closeScratch();
import { getCore } from "../core/core.js";
import { WasmBlock } from "./block.js";
import { heapOf, ptrOf, type Tensor } from "../tensor.js";
import type { FloatArray } from "../dtype.js";

const ALIGN = 16;
const MIN_BYTES = 64 * 1024;

let region: WasmBlock | null = null;
let capacity = 0;
let base = 0; // address of the region during a window
let top = 0; // bytes handed out in this window
// heap arrays to refresh from the region when the window closes (never shrinks: no garbage per call)
const backArrays: (FloatArray | Int32Array | null)[] = [];
const backPtrs: number[] = [];
let backCount = 0;

// whole-memory views, re-made only when memory grew (no view object per staged operand)
let viewedBuffer: ArrayBufferLike | null = null;
let f32 = new Float32Array(0), f64 = new Float64Array(0), i32 = new Int32Array(0);

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Bytes `t` needs in the scratch: 0 when it already lives in wasm memory. */
export function heapBytes(t: Tensor): number {
  const heap = heapOf(t);
  return heap === null ? 0 : align(Math.max(heap.byteLength, 1)); // even an empty operand gets a real address
}

/** Bytes an int32 array needs in the scratch. */
export function intBytes(values: Int32Array): number {
  return align(Math.max(values.byteLength, 1));
}

/** Start a window with room for `bytes` of staged operands. */
export function openScratch(bytes: number): void {
  top = 0;
  while (backCount > 0) backArrays[--backCount] = null; // a window a failed call left open
  if (bytes === 0) return;
  if (bytes > capacity) {
    // nothing is staged between windows, so the old region can go before the new one comes
    const roomy = Math.max(bytes, MIN_BYTES, capacity * 2);
    region?.free();
    region = null;
    capacity = 0;
    const size = getCore().allocator.canAllocate([roomy]) ? roomy : bytes; // near the limit: the exact need
    region = new WasmBlock(size);
    capacity = size;
  }
  base = (region as WasmBlock).ptr;
}

function take(bytes: number): number {
  const p = base + top;
  top += align(Math.max(bytes, 1));
  if (top > capacity) throw new Error("scratchnet: internal: staging window overflow (openScratch was given too few bytes)");
  return p;
}

function refreshViews(): void {
  const buffer = getCore().memory.buffer;
  if (buffer === viewedBuffer) return;
  viewedBuffer = buffer;
  f32 = new Float32Array(buffer);
  f64 = new Float64Array(buffer);
  i32 = new Int32Array(buffer);
}

function copyIn(src: FloatArray | Int32Array, p: number): void {
  refreshViews();
  if (src instanceof Float32Array) f32.set(src, p >> 2);
  else if (src instanceof Float64Array) f64.set(src, p >> 3);
  else if (src.length <= 16) for (let i = 0; i < src.length; i++) i32[(p >> 2) + i] = src[i];
  else i32.set(src, p >> 2);
}

function zero(bytes: number, p: number): void {
  refreshViews();
  f32.fill(0, p >> 2, (p + bytes) >> 2);
}

function remember(dst: FloatArray | Int32Array, p: number): void {
  backArrays[backCount] = dst;
  backPtrs[backCount] = p;
  backCount++;
}

/** Address of `t` for a kernel that reads it (heap tensors are copied in). */
export function stageIn(t: Tensor): number {
  const heap = heapOf(t);
  if (heap === null) return ptrOf(t);
  const p = take(heap.byteLength);
  copyIn(heap, p);
  return p;
}

/** Address of `t` for a kernel that writes it (heap tensors get a zeroed region, copied back at close). */
export function stageOut(t: Tensor): number {
  const heap = heapOf(t);
  if (heap === null) return ptrOf(t);
  const p = take(heap.byteLength);
  zero(heap.byteLength, p);
  remember(heap, p);
  return p;
}

/** Address of `t` for a kernel that reads and updates it in place. */
export function stageInOut(t: Tensor): number {
  const heap = heapOf(t);
  if (heap === null) return ptrOf(t);
  const p = take(heap.byteLength);
  copyIn(heap, p);
  remember(heap, p);
  return p;
}

/** Address of int32 values on the JS heap, copied in (and back at close when `writeBack`). */
export function stageInts(values: Int32Array, writeBack = false): number {
  const p = take(values.byteLength);
  copyIn(values, p);
  if (writeBack) remember(values, p);
  return p;
}

/** End the window: copy every staged output back to its heap array. */
export function closeScratch(): void {
  if (backCount > 0) {
    refreshViews();
    for (let i = 0; i < backCount; i++) {
      const dst = backArrays[i] as FloatArray | Int32Array, p = backPtrs[i];
      if (dst instanceof Float32Array) dst.set(f32.subarray(p >> 2, (p >> 2) + dst.length));
      else if (dst instanceof Float64Array) dst.set(f64.subarray(p >> 3, (p >> 3) + dst.length));
      else for (let j = 0; j < dst.length; j++) dst[j] = i32[(p >> 2) + j];
      backArrays[i] = null; // drop the reference: the window holds no user memory afterwards
    }
  }
  backCount = 0;
  top = 0;
}

/** Bytes the scratch region holds (for the memory tests and docs/memory.md). */
export function scratchCapacity(): number {
  return capacity;
}
