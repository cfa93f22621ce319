// Blocks the core takes once, when it starts, and never frees (they live as long as the wasm
// instance): the GEMM's scratch (packed B panels — W1 of a 784-50 layer in float64 is 301 KB —
// and the per-thread zero-skipping step lists, assembly/threads.ts) and the threaded build's
// 256-byte control block. Both sit at the bottom of the heap, below everything an owner frees.
import type { Allocator } from "./allocator.js";

export const GEMM_SCRATCH_BYTES = 1 << 20;

export function reserveFixedBlocks(allocator: Allocator, controlBlockBytes: number | null): { gemmScratch: number; controlBlock: number | null } {
  const gemmScratch = allocator.alloc(GEMM_SCRATCH_BYTES);
  const controlBlock = controlBlockBytes === null ? null : allocator.alloc(controlBlockBytes);
  return { gemmScratch, controlBlock };
}
