// The wasm memory one long-lived owner holds: a net's parameter and gradient blocks and its
// layers' activation workspaces, a dataset's uint8 images, a sampler's batch buffers, an
// optimizer's state. The owner's dispose() frees all of it at once; afterwards every tensor
// that looked into it throws a ScratchnetError on use. (After llm.c, which carves a model out
// of one allocation and frees it with one call.)
import { Allocator, formatBytes } from "./allocator.js";
import { WasmBlock } from "./block.js";
import { getCore } from "../core/core.js";
import { fail } from "../errors.js";

export class Arena {
  readonly #blocks = new Set<WasmBlock>();
  #disposed = false;

  /** `owner` names the object in errors ("TwoLayerNet", "ImageDataset(mnist-train)"). */
  constructor(readonly owner: string) {}

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Bytes this arena holds right now. */
  get bytes(): number {
    let n = 0;
    for (const b of this.#blocks) n += Allocator.blockSize(b.byteLength);
    return n;
  }

  /**
   * Refuse up front when blocks of these sizes cannot all be had, before any is taken or wasm
   * memory grows (wasm memory never shrinks: a half-built net would keep it for good).
   */
  reserve(byteCounts: readonly number[], what: string): void {
    this.checkOpen();
    const allocator = getCore().allocator;
    if (allocator.canAllocate(byteCounts)) return;
    const total = byteCounts.reduce((a, b) => a + b, 0);
    fail(this.owner, `${what} need ${formatBytes(total)} of wasm memory, but at most ${formatBytes(allocator.largestPossibleBlock())} ` +
      `can still be allocated in one piece (${formatBytes(allocator.bytesInUse)} in use, wasm32 limit ${formatBytes(allocator.maxBytes)}); ` +
      "choose smaller sizes or dispose() what you no longer use");
  }

  /** A new block owned by this arena. */
  alloc(bytes: number, what = "a buffer"): WasmBlock {
    this.reserve([bytes], what);
    const block = new WasmBlock(bytes);
    this.#blocks.add(block);
    return block;
  }

  /** Free one block now (a workspace outgrew it); its tensors throw from now on. */
  release(block: WasmBlock): void {
    if (this.#blocks.delete(block)) block.free();
  }

  /** Free every block. Idempotent. */
  dispose(): void {
    for (const b of this.#blocks) b.free();
    this.#blocks.clear();
    this.#disposed = true;
  }

  /** Throws the owner's "was disposed" error. */
  checkOpen(where: string = this.owner): void {
    if (this.#disposed) fail(where, `this ${this.owner.replace(/\(.*$/, "")} was disposed; its memory is gone`);
  }
}

// Which arena a layer inside a net allocates its workspaces in. Nets place their layers right
// after making them; a layer nobody placed is standalone and keeps its outputs on the JS heap.
const placement = new WeakMap<object, Arena>();

/** Module-private: put `layer`'s future workspaces in `arena` (a net's). */
export function placeIn(layer: object, arena: Arena): void {
  placement.set(layer, arena);
}

/** The arena a layer was placed in, or null for a standalone layer. */
export function arenaOf(layer: object): Arena | null {
  return placement.get(layer) ?? null;
}
