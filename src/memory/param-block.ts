// One contiguous block of wasm memory holding several named tensors (after llm.c): a net's
// parameters live in one block and its gradients in a second with the same layout, so an
// optimizer update or a save is a single pass over one range. A net's blocks belong to the
// net's arena (net.dispose() frees them); a ParamBlock made directly owns its own and has its
// own dispose().
import { Arena } from "./arena.js";
import type { WasmBlock } from "./block.js";
import { wasmTensor, type Tensor } from "../tensor.js";
import { bytesPerElement, checkDType, type DType } from "../dtype.js";
import { checkShape, fail, formatShape, type Shape } from "../shape.js";
import { describeValue } from "../check.js";

export type ParamSpec = readonly (readonly [name: string, shape: Shape])[];

// set by the class's static block (declared first: the block runs while the class is defined)
let isParamBlockImpl: (x: unknown) => boolean;
let blockPtrImpl: (p: ParamBlock) => number;
// set only while paramBlockIn() constructs: the arena a net's block goes into
let arenaForNext: Arena | null = null;

export class ParamBlock<Name extends string = string> {
  readonly #block: WasmBlock;
  readonly #arena: Arena;
  readonly #ownsArena: boolean;
  readonly #all: Tensor;
  readonly #tensors: Readonly<Record<Name, Tensor>>;
  readonly #length: number;
  readonly #spec: ParamSpec;
  readonly #dtype: DType;

  /** `spec`: [name, shape] pairs in layout order. Standalone blocks hold wasm memory until dispose(). */
  constructor(spec: ParamSpec, dtype: DType) {
    const where = "ParamBlock";
    this.#dtype = checkDType(dtype, where);
    const { offsets, bytes, frozen } = layout(spec, this.#dtype, where);
    this.#spec = frozen;
    this.#ownsArena = arenaForNext === null;
    this.#arena = arenaForNext ?? new Arena(where);
    arenaForNext = null;
    this.#block = this.#arena.alloc(Math.max(bytes, 16), "parameters");
    this.#length = bytes / bytesPerElement(this.#dtype);
    const tensors = {} as Record<Name, Tensor>;
    frozen.forEach(([name, shape], i) => {
      tensors[name as Name] = wasmTensor(this.#block, offsets[i], shape, this.#dtype);
    });
    this.#tensors = Object.freeze(tensors);
    this.#all = wasmTensor(this.#block, 0, [this.#length], this.#dtype);
    this.#all.data.fill(0);
  }

  /** Views of each named tensor (the book's params dict). Frozen: the entries are the block's. */
  get tensors(): Readonly<Record<Name, Tensor>> { return ParamBlock.#own(this, "ParamBlock.tensors").#tensors as Readonly<Record<Name, Tensor>>; }
  /** Elements in the block, padding included (padding stays zero in params and grads alike). */
  get length(): number { return ParamBlock.#own(this, "ParamBlock.length").#length; }
  /** [name, shape] pairs in layout order. */
  get spec(): ParamSpec { return ParamBlock.#own(this, "ParamBlock.spec").#spec; }
  get dtype(): DType { return ParamBlock.#own(this, "ParamBlock.dtype").#dtype; }

  /** All elements as one flat view (used by optimizers and serialisation). */
  all(): Tensor {
    return ParamBlock.#own(this, "ParamBlock.all").#all;
  }

  /** Free the block now (standalone blocks only; a net's blocks go with net.dispose()). */
  dispose(): void {
    const self = ParamBlock.#own(this, "ParamBlock.dispose");
    if (!self.#ownsArena) fail("ParamBlock.dispose", "this block belongs to a net; dispose the net instead");
    self.#arena.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  static #own(x: unknown, where: string): ParamBlock {
    if (typeof x !== "object" || x === null || !(#block in x)) fail(where, `called on ${describeValue(x)} that is not a real ParamBlock`);
    return x as ParamBlock;
  }

  static {
    isParamBlockImpl = (x) => typeof x === "object" && x !== null && #block in x;
    blockPtrImpl = (p) => p.#block.ptr;
  }
}

/** Byte size of a block of this spec (what a net reserves before allocating). */
export function paramBlockBytes(spec: ParamSpec, dtype: DType, where: string): number {
  return Math.max(layout(spec, dtype, where).bytes, 16);
}

/** A block inside `arena` (a net's). */
export function paramBlockIn<Name extends string>(arena: Arena, spec: ParamSpec, dtype: DType): ParamBlock<Name> {
  arenaForNext = arena;
  try {
    return new ParamBlock<Name>(spec, dtype);
  } finally {
    arenaForNext = null;
  }
}

/** True for real ParamBlocks (brand check). */
export function isParamBlock(x: unknown): x is ParamBlock {
  return isParamBlockImpl(x);
}

/** Address of the block's first element (module-private: for optimizer kernels). */
export function paramBlockPtr(p: ParamBlock): number {
  return blockPtrImpl(p);
}

function layout(spec: ParamSpec, dtype: DType, where: string): { offsets: number[]; bytes: number; frozen: ParamSpec } {
  if (!Array.isArray(spec)) fail(where, `spec must be an array of [name, shape] pairs, got ${describeValue(spec)}`);
  const bpe = bytesPerElement(dtype);
  const offsets: number[] = [];
  const names = new Set<string>();
  const frozen: (readonly [string, Shape])[] = [];
  let bytes = 0;
  for (const entry of spec) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") {
      fail(where, `each spec entry must be [name, shape], got ${describeValue(entry)}`);
    }
    const [name, shape] = entry as unknown as readonly [string, Shape];
    if (names.has(name)) fail(where, `two tensors are named '${name}'`);
    names.add(name);
    const n = checkShape(shape, `${where} '${name.slice(0, 40)}'`);
    offsets.push(bytes);
    bytes += Math.ceil((n * bpe) / 16) * 16; // keep every tensor 16-byte aligned for v128 loads
    if (!Number.isSafeInteger(bytes) || bytes > 2 ** 32) fail(where, `the tensors need more than 4 GiB (at '${name.slice(0, 40)}' ${formatShape(shape)})`);
    frozen.push(Object.freeze([name, Object.freeze([...shape])] as const));
  }
  return { offsets, bytes, frozen: Object.freeze(frozen) };
}
