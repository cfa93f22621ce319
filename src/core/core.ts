// The one wasm instance the library computes with, and how it comes to exist.
//
// Node can compile synchronously, so `index.node.ts` registers a sync loader and users just
// construct things. Browsers refuse synchronous compilation of large modules on the main
// thread, so there `await init()` comes first (it accepts a URL, bytes, a Response or a
// compiled WebAssembly.Module, which covers bundlers, workers and edge runtimes).
import { instantiate, instantiateSync } from "@assemblyscript/loader";
import { Allocator, PAGE } from "../memory/allocator.js";
import { GEMM_SCRATCH_BYTES, reserveFixedBlocks } from "../memory/fixed.js";
import { WASM_FUNCTIONS, bindKernels, type TypedKernelExports, type WasmExports } from "./kernels.generated.js";
import { CONTROL_BLOCK_BYTES, ThreadPool, type SpawnWorker } from "./thread-pool.js";
import type { DType } from "../dtype.js";
import { downloadCutOff, fetchWasm } from "./fetch-wasm.js";
import type { NetworkLimits } from "./network-limits.js";
import { ScratchnetError } from "../errors.js";
import { checkSimdMode, requireRelaxedSimd, variantOf, type CoreVariant, type SimdMode } from "./variant.js";

export type { CoreVariant, SimdMode } from "./variant.js";

/**
 * What `init()` resolves with: the compiled module and its memory. Deliberately no kernels and
 * no allocator: those take raw addresses, and public objects never hand out raw addresses.
 */
export interface CoreInfo {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** "fixed" (the same bits everywhere) or "relaxed" (fused multiply-add, init({ simd: "relaxed" })). */
  readonly simd: SimdMode;
}

/** The live core (internal: src/internal.ts exposes it to the tests and benchmarks only). */
export interface Core {
  readonly info: CoreInfo;
  /** Every wasm export, by its wasm name (assembly/manifest.mjs lists them). */
  readonly exports: WasmExports;
  readonly memory: WebAssembly.Memory;
  readonly allocator: Allocator;
  readonly module: WebAssembly.Module;
  /** Worker pool of the threaded build (shared memory), null for the default build. */
  readonly pool: ThreadPool | null;
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

/** `init` options; the network limits apply when the wasm is fetched from a URL. */
export interface InitOptions extends NetworkLimits {
  /** The .wasm (URL, bytes, Response or Module); default: the build next to this package. */
  wasm?: CoreSource;
  /**
   * Threads (results are the same for any count). Default: the machine's cores (at most 8) in
   * Node and in a cross-origin isolated page, else 1. More than 1 needs SharedArrayBuffer.
   */
  threads?: number;
  /**
   * "fixed" (default): fixed-width SIMD, the same bits on every machine. "relaxed": the build
   * with fused multiply-add (relaxed SIMD) — faster where the CPU fuses, but results differ
   * from the fixed build and between machines. Needs an engine with relaxed SIMD (Node 20:
   * `--experimental-wasm-relaxed-simd`); never chosen unless asked for.
   */
  simd?: SimdMode;
}

let current: Core | null = null;
let syncLoader: ((variant: CoreVariant) => ArrayBufferView | ArrayBuffer | WebAssembly.Module) | null = null;
let defaultUrl: ((variant: CoreVariant) => URL) | null = null;
let spawnWorker: SpawnWorker | null = null;
let defaultThreads: () => number = () => 1;
/**
 * Pages the threaded build's shared memory may grow to. Shared memory reserves its maximum up
 * front: Node takes wasm32's whole 4 GiB (asconfig.json declares it), as the default build
 * may; browsers keep to 1 GiB (configureCoreLoading), which every 64-bit browser reserves.
 */
let threadedMaxPages = 65536;
/** Pages the default build may grow to: it declares no maximum, so wasm32's 4 GiB. */
const DEFAULT_MAX_PAGES = 65536;

/** The live core; in Node it is created on first use, elsewhere `init()` must have run. */
export function getCore(): Core {
  if (current) return current;
  if (!syncLoader) {
    throw new Error(
      "scratchnet: the wasm core is not initialised. Call `await init()` once before creating " +
        "tensors or nets (browsers cannot compile wasm synchronously).",
    );
  }
  const { core, start } = createSyncCore(defaultThreads(), false, "fixed");
  // workers join when they are up; until then products run here (same bits, only slower).
  // Nobody awaits this start, so it does not hold the process open: a script may end first.
  start?.catch((error) => console.warn(`scratchnet: staying on one thread: ${(error as Error).message}`));
  return core;
}

/** Compile synchronously; with threads > 1 the threaded build, whose pool starts in the background. */
function createSyncCore(threads: number, holdProcess: boolean, simd: SimdMode): { core: Core; start: Promise<number> | null } {
  const load = syncLoader as (variant: CoreVariant) => ArrayBufferView | ArrayBuffer | WebAssembly.Module;
  const memory = threads > 1 && canUseThreads() ? sharedMemory() : null;
  const core = makeCore(instantiateSync(load(variantOf(memory !== null, simd)), memory ? { env: { memory } } : {}) as LoaderResult, memory, simd);
  current = core;
  return { core, start: core.pool ? core.pool.resize(threads, holdProcess) : null };
}

/** True once a core exists. */
export function isCoreReady(): boolean {
  return current !== null;
}

/**
 * Create the core (default: the .wasm next to this package, found through `import.meta.url`).
 * `init({ threads: 2 })` loads the threaded build and starts a worker; it must come before
 * anything else touches the core. Calling it again returns the same core (and resizes the
 * thread pool when `threads` is given). An explicit `wasm` decides the build: the threaded one
 * (it imports its memory) gets the default thread count, any other runs on one thread.
 */
export async function init(options?: CoreSource | InitOptions): Promise<CoreInfo> {
  const resolved = initOptions(options);
  const { wasm: source, threads } = resolved;
  if (threads !== undefined) checkThreadCount(threads, "init");
  const simd = checkSimdMode(resolved.simd, "init");
  if (current) {
    if (resolved.simd !== undefined && simd !== current.info.simd) {
      throw new ScratchnetError("init", `the core already runs ${current.info.simd} SIMD; init({ simd: '${simd}' }) must come before anything touches scratchnet`);
    }
    if (threads !== undefined) await setThreads(threads);
    return current.info;
  }
  if (threads !== undefined && threads > 1 && !canUseThreads()) throw new Error(threadsUnavailable("init"));
  if (simd === "relaxed") requireRelaxedSimd("init");
  // Node compiles the file next to the package synchronously; fetch() cannot read file: URLs
  if (source === undefined && syncLoader) {
    const n = threads ?? defaultThreads();
    if (n > 1 && !canUseThreads()) throw new Error(threadsUnavailable("init"));
    const { core, start } = createSyncCore(n, true, simd);
    await start;
    return core.info;
  }
  const wanted = threads ?? defaultThreads();
  let input: unknown = source ?? defaultUrl?.(variantOf(wanted > 1 && canUseThreads(), simd));
  if (input === undefined) throw new Error("scratchnet.init: no wasm source given and no default location known");
  const from = typeof input === "string" || input instanceof URL ? String(input) : "the given response";
  if (typeof input === "string" || input instanceof URL || isResponseLike(input)) input = await fetchWasm(input as Response, resolved);
  if (ArrayBuffer.isView(input)) input = input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength);
  let module: WebAssembly.Module;
  try {
    module = input instanceof WebAssembly.Module ? input
      : input instanceof Response ? await WebAssembly.compileStreaming(input) // fetchWasm: served as application/wasm
        : await WebAssembly.compile(input as ArrayBuffer);
  } catch (error) {
    const cutOff = downloadCutOff(input);
    if (cutOff !== null) throw new Error(`scratchnet.init: the wasm download from ${from} was cut off: ${cutOff}`, { cause: error });
    throw error;
  }
  // the threaded builds import their (shared) memory; the others export their own
  const threaded = WebAssembly.Module.imports(module).some((i) => i.kind === "memory");
  const n = threads ?? (threaded ? wanted : 1);
  if (threaded && !canUseThreads()) throw new Error(threadsUnavailable("init"));
  if (!threaded && n > 1) {
    throw new ScratchnetError("init", `threads: ${n} needs the threaded build (scratchnet.threads.wasm, "scratchnet/wasm-threads"), ` +
      "but the wasm given is the single-threaded one; pass the threaded build or threads: 1");
  }
  const memory = threaded ? sharedMemory() : null;
  const result = (await instantiate(module, memory ? { env: { memory } } : {})) as LoaderResult;
  current ??= makeCore(result, memory, simd);
  if (threaded) await setThreads(n);
  return current.info;
}

/**
 * Use `n` threads for the big products (results are bit-identical for every n). Needs the
 * threaded build: `await init({ threads })` first in browsers, or SCRATCHNET_THREADS in Node.
 * Resolves with the thread count once the workers run.
 */
export async function setThreads(n: number): Promise<number> {
  checkThreadCount(n, "setThreads");
  const pool = getCore().pool;
  if (pool === null) {
    if (n === 1) return 1;
    throw new Error(`setThreads: this core is the single-threaded build. Call \`await init({ threads: ${n} })\` ` +
      "(or set SCRATCHNET_THREADS in Node) before creating any tensor or net.");
  }
  return pool.resize(n);
}

/** Threads the big products use right now (1 until the workers are up). */
export function getThreads(): number {
  return current?.pool?.threads ?? 1;
}

function initOptions(options: CoreSource | InitOptions | undefined | null): InitOptions {
  const isOptions = typeof options === "object" && options !== null && !(options instanceof URL) &&
    !ArrayBuffer.isView(options) && !(options instanceof ArrayBuffer) && !(options instanceof WebAssembly.Module) &&
    !isResponseLike(options);
  const given: InitOptions = isOptions ? (options as InitOptions) : { wasm: (options ?? undefined) as CoreSource | undefined };
  const { wasm } = given;
  const known = wasm === undefined || wasm === null || typeof wasm === "string" || wasm instanceof URL || ArrayBuffer.isView(wasm) ||
    wasm instanceof ArrayBuffer || wasm instanceof WebAssembly.Module || isResponseLike(wasm);
  if (!known) {
    throw new ScratchnetError("init", "the wasm source must be a URL, a string URL, bytes (ArrayBuffer or a view), a Response or a WebAssembly.Module");
  }
  // the network limits (deadlineMs, minBytesPerSecond, …) travel on to fetchWasm, which checks them
  return { ...given, wasm: wasm ?? undefined };
}

function checkThreadCount(n: number, where: string): void {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 64) throw new ScratchnetError(where, `threads must be an integer from 1 to 64, got ${typeof n === "number" ? n : typeof n}`);
}

/** Shared memory exists here (Node; a cross-origin isolated page) and the entry point can start workers. */
function canUseThreads(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return spawnWorker !== null && typeof SharedArrayBuffer === "function" && g.crossOriginIsolated !== false;
}

function threadsUnavailable(where: string): string {
  return `${where}: threads need SharedArrayBuffer and workers; in a browser the page must be cross-origin ` +
    "isolated (COOP: same-origin, COEP: require-corp). Use threads: 1 otherwise";
}

function sharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 2, maximum: threadedMaxPages, shared: true });
}

function isResponseLike(x: unknown): x is Response | Promise<Response> {
  if (x instanceof Promise) return true;
  // shape first: in Node, the first read of the global `Response` loads the whole fetch
  // implementation (25–70 ms of every start), and init's options are never one
  if (typeof x !== "object" || x === null || typeof (x as { arrayBuffer?: unknown }).arrayBuffer !== "function" || !("headers" in x)) return false;
  return typeof Response !== "undefined" && x instanceof Response;
}

/** Used by the platform entry points (index.node.ts / index.browser.ts). */
export function configureCoreLoading(options: {
  sync?: (variant: CoreVariant) => ArrayBufferView | ArrayBuffer | WebAssembly.Module;
  defaultUrl?: (variant: CoreVariant) => URL;
  /** How to start a worker for the threaded build. */
  spawnWorker?: SpawnWorker;
  /** Threads when nothing asked for a number (Node: SCRATCHNET_THREADS, else the machine's cores). */
  defaultThreads?: () => number;
  /** Pages the threaded build's shared memory may grow to (default 65536: 4 GiB). */
  threadedMaxPages?: number;
}): void {
  syncLoader = options.sync ?? syncLoader;
  defaultUrl = options.defaultUrl ?? defaultUrl;
  spawnWorker = options.spawnWorker ?? spawnWorker;
  defaultThreads = options.defaultThreads ?? defaultThreads;
  threadedMaxPages = options.threadedMaxPages ?? threadedMaxPages;
}

interface LoaderResult {
  module: WebAssembly.Module;
  instance: WebAssembly.Instance;
}

function makeCore({ module, instance }: LoaderResult, shared: WebAssembly.Memory | null, simd: SimdMode): Core {
  const raw = instance.exports as unknown as WasmExports;
  const missing = WASM_FUNCTIONS.filter((name) => typeof raw[name] !== "function");
  if (missing.length) throw new Error(`scratchnet: the wasm lacks ${missing.join(", ")} (stale build? run npm run build)`);
  const memory = shared ?? raw.memory;
  const allocator = new Allocator(memory, raw.heapBase(), (shared ? threadedMaxPages : DEFAULT_MAX_PAGES) * PAGE);
  // the GEMM scratch (assembly/gemm/scratch.ts: packed B panels, zero-skipping step lists) and the
  // threaded build's control block: taken once, never freed (src/memory/fixed.ts)
  const threaded = shared !== null && spawnWorker !== null;
  const fixed = reserveFixedBlocks(allocator, threaded ? CONTROL_BLOCK_BYTES : null);
  raw.gemmScratch(fixed.gemmScratch, GEMM_SCRATCH_BYTES);
  const pool = threaded ? new ThreadPool(module, shared, raw as never, fixed.controlBlock as number, spawnWorker as SpawnWorker) : null;
  const tables = bindKernels(raw);
  return { info: Object.freeze({ module, memory, simd }), exports: raw, memory, allocator, module, pool, kernels: (dtype) => tables[dtype] };
}
