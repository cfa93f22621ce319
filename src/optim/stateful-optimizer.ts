// What Momentum, Nesterov, AdaGrad, RMSprop and Adam share: state tensors shaped like the
// parameters (the book's `self.v`, `self.h`, `self.m`, `self.v` dicts), created zero on the first
// update, and one wasm kernel that updates a parameter range and its state in one pass.
//
// The two entry points keep their state apart:
//  - update(params, grads): one state tensor per key, as in common/optimizer.py;
//  - updateBlock(paramBlock, gradBlock): one state block with the parameter block's layout, so
//    a whole net is one kernel call.
// The kernel is elementwise, so both give the same bits (tested). An optimizer serves one
// entry point and one net: mixing them would silently share (or split) state such as Adam's
// step count, so it is refused.
//
// The state lives in wasm memory the optimizer owns (its arena): dispose() frees it. What the
// kernels read is kept privately; `state`, `v`, `h` … are read-only views for looking at it.
import { getCore } from "../core/core.js";
import type { TypedKernelExports } from "../core/kernels.generated.js";
import { ptrOf, type Tensor } from "../tensor.js";
import { Arena } from "../memory/arena.js";
import { zerosIn } from "../memory/workspace.js";
import { paramBlockIn, paramBlockPtr, type ParamBlock } from "../memory/param-block.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageInOut } from "../memory/scratch.js";
import { fail, formatShape, sameShape } from "../shape.js";
import type { Optimizer } from "./optimizer.js";
import { checkBlocks, checkPairs } from "./check-update.js";

export abstract class StatefulOptimizer<StateName extends string> implements Optimizer {
  abstract readonly name: string;
  abstract readonly lr: number;
  readonly #stateNames: readonly StateName[];
  readonly #state: Record<StateName, Map<string, Tensor>>;
  #stateView: Readonly<Record<StateName, Readonly<Record<string, Tensor>>>> | null = null;
  #blockState: Record<StateName, ParamBlock> | null = null;
  #blockOwner: ParamBlock | null = null;
  #blockStatePtrs: readonly number[] = []; // computed once (no per-step array)
  #statePtrs: number[] = []; // reused by update(): no array per key
  #mode: "keys" | "block" | null = null;
  #arena: Arena | null = null;

  protected constructor(stateNames: readonly StateName[]) {
    this.#stateNames = stateNames;
    const state = {} as Record<StateName, Map<string, Tensor>>;
    for (const s of stateNames) state[s] = new Map();
    this.#state = state;
  }

  /** Per-key state of `update`, e.g. state.v.W1 (empty until the first update). Read-only views. */
  get state(): Readonly<Record<StateName, Readonly<Record<string, Tensor>>>> {
    if (this.#stateView === null) {
      const view = {} as Record<StateName, Readonly<Record<string, Tensor>>>;
      for (const s of this.#stateNames) view[s] = Object.freeze(Object.fromEntries(this.#state[s]));
      this.#stateView = Object.freeze(view);
    }
    return this.#stateView;
  }

  /** State of `updateBlock`, one block per state name with the parameters' layout (null until used). */
  get blockState(): Readonly<Record<StateName, ParamBlock>> | null {
    return this.#blockState;
  }

  /**
   * Update `n` elements at `p` from the gradient at `g`; `states` are the addresses of the
   * matching state ranges, in the order of the constructor's state names.
   */
  protected abstract apply(k: TypedKernelExports, p: number, g: number, states: readonly number[], n: number): void;

  /** Once per update / updateBlock call, before any parameter moves (Adam counts steps here). */
  protected beginStep(): void {}

  update(params: Record<string, Tensor>, grads: Record<string, Tensor>): void {
    const where = `${this.name}.update`;
    this.#enter("keys", where);
    const keys = checkPairs(params, grads, where);
    // check every pair before touching any, so a bad key cannot leave a half-applied step
    for (const key of keys) {
      const p = params[key];
      const s = this.#state[this.#stateNames[0]].get(key);
      if (s !== undefined && (s.dtype !== p.dtype || !sameShape(s.shape, p.shape))) {
        fail(where, `parameter '${key}' is ${formatShape(p.shape)} ${p.dtype} but this optimizer's state for it is ${formatShape(s.shape)} ${s.dtype}; use one optimizer per net`);
      }
    }
    this.beginStep();
    const arena = this.#ownArena(where);
    for (const key of keys) {
      const p = params[key], g = grads[key];
      const ptrs = this.#statePtrs;
      this.#stateNames.forEach((name, i) => {
        let s = this.#state[name].get(key);
        if (s === undefined) {
          s = zerosIn(arena, p.shape, p.dtype, "optimizer state");
          this.#state[name].set(key, s);
          this.#stateView = null;
        }
        ptrs[i] = ptrOf(s);
      });
      openScratch(heapBytes(p) + heapBytes(g));
      this.apply(getCore().kernels(p.dtype), stageInOut(p), stageIn(g), ptrs, p.size);
      closeScratch();
    }
  }

  updateBlock(params: ParamBlock, grads: ParamBlock): void {
    const where = `${this.name}.updateBlock`;
    this.#enter("block", where);
    checkBlocks(params, grads, where);
    if (this.#blockOwner === null) {
      const arena = this.#ownArena(where);
      arena.reserve(this.#stateNames.map(() => params.length * (params.dtype === "float32" ? 4 : 8)), "its state");
      const blocks = {} as Record<StateName, ParamBlock>;
      for (const s of this.#stateNames) blocks[s] = paramBlockIn(arena, params.spec, params.dtype);
      this.#blockState = Object.freeze(blocks);
      this.#blockOwner = params;
      this.#blockStatePtrs = this.#stateNames.map((s) => paramBlockPtr(blocks[s]));
    } else if (this.#blockOwner !== params) {
      fail(where, "this optimizer's state belongs to another parameter block; create one optimizer per net");
    }
    (this.#arena as Arena).checkOpen(where);
    this.beginStep();
    this.apply(getCore().kernels(params.dtype), paramBlockPtr(params), paramBlockPtr(grads), this.#blockStatePtrs, params.length);
  }

  /** Free the optimizer's state (wasm memory) now. A disposed optimizer refuses further updates. */
  dispose(): void {
    (this.#arena ??= new Arena(this.name)).dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #ownArena(where: string): Arena {
    this.#arena ??= new Arena(this.name);
    this.#arena.checkOpen(where);
    return this.#arena;
  }

  #enter(mode: "keys" | "block", where: string): void {
    if (this.#mode !== null && this.#mode !== mode) {
      fail(where, `this optimizer already keeps state from ${this.#mode === "keys" ? "update()" : "updateBlock()"}; use one entry point per optimizer`);
    }
    this.#mode = mode;
  }
}
