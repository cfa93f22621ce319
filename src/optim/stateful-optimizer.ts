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
import { getCore } from "../core/core.js";
import type { TypedKernelExports } from "../core/kernels.generated.js";
import { Tensor } from "../tensor.js";
import { ParamBlock } from "../nets/param-block.js";
import { fail, formatShape, sameShape } from "../shape.js";
import type { Optimizer } from "./optimizer.js";

export abstract class StatefulOptimizer<StateName extends string> implements Optimizer {
  abstract readonly name: string;
  /** Per-key state of `update`, e.g. state.v.W1 (empty until the first update). */
  readonly state: Record<StateName, Record<string, Tensor>>;
  /** State of `updateBlock`, one block per state name with the parameters' layout (null until used). */
  blockState: Record<StateName, ParamBlock> | null = null;
  private blockOwner: ParamBlock | null = null;
  private blockStatePtrs: readonly number[] = []; // addresses never move, so computed once (no per-step array)
  private mode: "keys" | "block" | null = null;

  protected constructor(private readonly stateNames: readonly StateName[]) {
    const state = {} as Record<StateName, Record<string, Tensor>>;
    for (const s of stateNames) state[s] = {};
    this.state = state;
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
    this.enter("keys", where);
    const keys = Object.keys(params);
    // check every pair before touching any, so a bad key cannot leave a half-applied step
    for (const key of keys) {
      const p = params[key], g = grads[key];
      if (!(p instanceof Tensor)) fail(where, `params.${key} is not a Tensor`);
      if (!(g instanceof Tensor)) fail(where, `no gradient for parameter '${key}'`);
      if (g.dtype !== p.dtype || !sameShape(g.shape, p.shape)) {
        fail(where, `gradient '${key}' ${formatShape(g.shape)} ${g.dtype} does not match parameter ${formatShape(p.shape)} ${p.dtype}`);
      }
      const s = this.state[this.stateNames[0]][key];
      if (s !== undefined && (s.dtype !== p.dtype || !sameShape(s.shape, p.shape))) {
        fail(where, `parameter '${key}' is ${formatShape(p.shape)} ${p.dtype} but this optimizer's state for it is ${formatShape(s.shape)} ${s.dtype}; use one optimizer per net`);
      }
    }
    this.beginStep();
    for (const key of keys) {
      const p = params[key];
      const states = this.stateNames.map((s) => {
        const byKey: Record<string, Tensor> = this.state[s];
        return (byKey[key] ??= Tensor.zeros(p.shape, p.dtype)).ptr;
      });
      this.apply(getCore().kernels(p.dtype), p.ptr, grads[key].ptr, states, p.size);
    }
  }

  updateBlock(params: ParamBlock, grads: ParamBlock): void {
    const where = `${this.name}.updateBlock`;
    this.enter("block", where);
    if (!(params instanceof ParamBlock) || !(grads instanceof ParamBlock)) fail(where, "expected two ParamBlocks (net.paramBlock, net.gradBlock)");
    if (params.length !== grads.length || params.dtype !== grads.dtype) {
      fail(where, `parameter block (${params.length} ${params.dtype}) and gradient block (${grads.length} ${grads.dtype}) differ in layout`);
    }
    if (this.blockOwner === null) {
      const blocks = {} as Record<StateName, ParamBlock>;
      for (const s of this.stateNames) blocks[s] = new ParamBlock(params.spec, params.dtype);
      this.blockState = blocks;
      this.blockOwner = params;
      this.blockStatePtrs = this.stateNames.map((s) => blocks[s].ptr);
    } else if (this.blockOwner !== params) {
      fail(where, "this optimizer's state belongs to another parameter block; create one optimizer per net");
    }
    this.beginStep();
    this.apply(getCore().kernels(params.dtype), params.ptr, grads.ptr, this.blockStatePtrs, params.length);
  }

  private enter(mode: "keys" | "block", where: string): void {
    if (this.mode !== null && this.mode !== mode) {
      fail(where, `this optimizer already keeps state from ${this.mode === "keys" ? "update()" : "updateBlock()"}; use one entry point per optimizer`);
    }
    this.mode = mode;
  }
}
