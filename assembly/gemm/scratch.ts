// GEMM scratch: one block the JS side allocates once per core (src/core/core.ts calls
// gemmScratch), holding the packed B panels (pack.ts) and then one slot per thread for the
// nonzero lists of the sparse paths (sparse/). Only the main thread packs, before it publishes
// a job; each thread writes only its own slot.
//
// Globals belong to one wasm instance, the memory to all of them: the main instance learns the
// addresses from gemmScratch, a worker instance adopts them with every job it takes
// (threads.ts), so every thread finds the same panels and its own slot.
let PACK: usize = 0;
let PACK_BYTES: usize = 0;
let LISTS: usize = 0;
let SLOT: i32 = 0; // this instance's thread: 0 = the main thread, i = worker i

/** Threads that can have a list slot; a thread beyond them runs the dense recipe. */
export const LIST_SLOTS = 16;
/** One slot: K ≤ 1365 steps of two u32 lists (sparse/steps.ts) or K values + K u32 offsets (sparse/rows.ts). */
const LIST_SLOT_BYTES: usize = 16 << 10;
const LIST_AREA: usize = <usize>LIST_SLOTS * LIST_SLOT_BYTES;

/** Give the kernels `bytes` of scratch at `ptr` (0 bytes: never pack, no sparse paths). */
export function gemmScratch(ptr: usize, bytes: usize): void {
  PACK = ptr;
  LISTS = listsOf(ptr, bytes);
  PACK_BYTES = LISTS != 0 ? bytes - LIST_AREA : bytes;
}

/** Where the list slots of a scratch block of `bytes` at `ptr` start (0: none), laid out as gemmScratch lays out its block. */
export function listsOf(ptr: usize, bytes: usize): usize {
  return bytes >= 2 * LIST_AREA ? ptr + bytes - LIST_AREA : 0;
}

/** A worker takes the main thread's scratch for the job it runs (its instance never saw gemmScratch). */
export function adoptScratch(pack: usize, lists: usize, slot: i32): void {
  PACK = pack;
  LISTS = lists;
  SLOT = slot;
}

/** Where B's panels are packed (0: no scratch). */
export function packArea(): usize {
  return PACK;
}

/** Bytes of packed panels that fit. */
export function packAreaBytes(): usize {
  return PACK_BYTES;
}

/** Start of the list slots (0: none), for a job's workers to adopt. */
export function listArea(): usize {
  return LISTS;
}

/** Do this thread's lists fit a reduction of K steps? */
export function stepListsFit(K: i32): bool {
  return LISTS != 0 && SLOT < LIST_SLOTS && <usize>K * 12 <= LIST_SLOT_BYTES;
}

/** This thread's list slot for a reduction of K steps, or 0 (dense) if it does not fit. */
export function stepLists(K: i32): usize {
  return stepListsFit(K) ? LISTS + <usize>SLOT * LIST_SLOT_BYTES : 0;
}

/**
 * This thread's list slot as panel scratch for the narrow columns (narrow-panel.ts), or 0
 * if it has none. Only for a product that lists nothing: the slot holds one or the other.
 */
export function panelSlot(): usize {
  return LISTS != 0 && SLOT < LIST_SLOTS ? LISTS + <usize>SLOT * LIST_SLOT_BYTES : 0;
}

/** Steps of eight values each that fit a panel slot. */
// @ts-ignore: decorator
@inline export function panelSlotSteps<T>(): i32 {
  return <i32>(LIST_SLOT_BYTES / (8 * sizeof<T>()));
}

/** This thread's list slot for the scatter kernel (it sizes its row slices to fit; the plan checks the slot exists). */
export function scatterList(): usize {
  return LISTS + <usize>SLOT * LIST_SLOT_BYTES;
}

/** Output rows one scatter slice may list: values + u32 offsets in one slot. */
// @ts-ignore: decorator
@inline export function scatterRows<T>(): i32 {
  return <i32>(LIST_SLOT_BYTES / (sizeof<T>() + 4));
}
