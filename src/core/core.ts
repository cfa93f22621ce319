// The one wasm instance the library computes with, and how it comes to exist.
//
// Node can compile synchronously, so `index.node.ts` registers a sync loader and users just
// construct things. Browsers refuse synchronous compilation of large modules on the main
// thread, so there `await init()` comes first (it accepts a URL, bytes, a Response or a
// compiled WebAssembly.Module, which covers bundlers, workers and edge runtimes).
import { instantiate, instantiateSync } from "@assemblyscript/loader";
import { Allocator } from "./allocator.js";
import { TYPED_KERNEL_NAMES, type TypedKernelExports, type UntypedExports } from "./exports.js";
import type { DType } from "../dtype.js";
import { fetchWasm } from "./fetch-wasm.js";

export interface Core {
  readonly exports: UntypedExports;
  readonly memory: WebAssembly.Memory;
  readonly allocator: Allocator;
  readonly module: WebAssembly.Module;
  /** Kernels for one element type. */
  kernels(dtype: DType): TypedKernelExports;
}

/** Anything `init` can build the core from. */
export type CoreSource =
  | WebAssembly.Module
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | Promise<Response>
  | URL
  | string;

let current: Core | null = null;
let syncLoader: (() => ArrayBufferView | ArrayBuffer | WebAssembly.Module) | null = null;
let defaultUrl: (() => URL) | null = null;

/** The live core; in Node it is created on first use, elsewhere `init()` must have run. */
export function getCore(): Core {
  if (current) return current;
  if (!syncLoader) {
    throw new Error(
      "scratchnet: the wasm core is not initialised. Call `await init()` once before creating " +
        "tensors or nets (browsers cannot compile wasm synchronously).",
    );
  }
  current = makeCore(instantiateSync(syncLoader(), {}) as LoaderResult);
  return current;
}

/** True once a core exists. */
export function isCoreReady(): boolean {
  return current !== null;
}

/**
 * Create the core from `source` (default: the .wasm next to this package, found through
 * `import.meta.url`). Calling it again after success is a no-op that returns the same core.
 */
export async function init(source?: CoreSource): Promise<Core> {
  if (current) return current;
  // Node compiles the file next to the package synchronously; fetch() cannot read file: URLs
  if (source === undefined && syncLoader) return getCore();
  let input: unknown = source ?? defaultUrl?.();
  if (input === undefined) throw new Error("scratchnet.init: no wasm source given and no default location known");
  if (typeof input === "string" || input instanceof URL || isResponseLike(input)) input = await fetchWasm(input as Response);
  if (ArrayBuffer.isView(input)) input = input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength);
  const result = (await instantiate(input as Parameters<typeof instantiate>[0], {})) as LoaderResult;
  current ??= makeCore(result);
  return current;
}

function isResponseLike(x: unknown): x is Response | Promise<Response> {
  return (typeof Response !== "undefined" && x instanceof Response) || x instanceof Promise;
}

/** Used by the platform entry points (index.node.ts / index.browser.ts). */
export function configureCoreLoading(options: {
  sync?: () => ArrayBufferView | ArrayBuffer | WebAssembly.Module;
  defaultUrl?: () => URL;
}): void {
  syncLoader = options.sync ?? syncLoader;
  defaultUrl = options.defaultUrl ?? defaultUrl;
}

interface LoaderResult {
  module: WebAssembly.Module;
  instance: WebAssembly.Instance;
}

function makeCore({ module, instance }: LoaderResult): Core {
  const raw = instance.exports as unknown as UntypedExports & Record<string, unknown>;
  const memory = raw.memory;
  const allocator = new Allocator(memory, raw.heapBase());
  const tables: Record<DType, TypedKernelExports> = {
    float32: pickKernels(raw, "f32"),
    float64: pickKernels(raw, "f64"),
  };
  return { exports: raw, memory, allocator, module, kernels: (dtype) => tables[dtype] };
}

function pickKernels(raw: Record<string, unknown>, suffix: "f32" | "f64"): TypedKernelExports {
  const table = {} as Record<string, unknown>;
  for (const name of TYPED_KERNEL_NAMES) {
    const fn = raw[`${name}_${suffix}`];
    if (typeof fn !== "function") throw new Error(`scratchnet: wasm export ${name}_${suffix} is missing (stale build?)`);
    table[name] = fn;
  }
  return table as unknown as TypedKernelExports;
}
