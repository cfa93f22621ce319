// Which of the four builds a core runs, and whether this engine can run the relaxed ones.
//
//   default           scratchnet.wasm                  fixed SIMD, its own memory
//   threads           scratchnet.threads.wasm          fixed SIMD, shared memory (workers)
//   relaxed           scratchnet.relaxed.wasm          fused multiply-add (relaxed SIMD), own memory
//   relaxed-threads   scratchnet.relaxed-threads.wasm  fused multiply-add, shared memory
//
// Fixed SIMD rounds every multiply and every add: the same bits on every machine and engine.
// The relaxed builds use f32x4/f64x2.relaxed_madd, which the engine may run as one fused
// multiply-add (one rounding) or as a multiply and an add, depending on the CPU: faster where
// it fuses, but results differ from the fixed builds and may differ between machines. So it is
// only ever chosen explicitly (init({ simd: "relaxed" }), the CLI's --relaxed-simd).
import { ScratchnetError } from "../errors.js";

export type CoreVariant = "default" | "threads" | "relaxed" | "relaxed-threads";
export type SimdMode = "fixed" | "relaxed";

export function variantOf(threaded: boolean, simd: SimdMode): CoreVariant {
  if (simd === "relaxed") return threaded ? "relaxed-threads" : "relaxed";
  return threaded ? "threads" : "default";
}

/** The smallest module using f32x4.relaxed_madd: `(func (result v128) v128.const 0 ×3 f32x4.relaxed_madd)`. */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code: one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // v128.const ×3
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd
  0x0b,
]);

let relaxedSupported: boolean | null = null;

/** Does this engine run relaxed SIMD? (Validates an 82-byte module once; `again` after changing V8's flags.) */
export function hasRelaxedSimd(again = false): boolean {
  if (again) relaxedSupported = null;
  relaxedSupported ??= (() => {
    try {
      return WebAssembly.validate(RELAXED_PROBE);
    } catch {
      return false;
    }
  })();
  return relaxedSupported;
}

export function checkSimdMode(simd: unknown, where: string): SimdMode {
  if (simd === undefined) return "fixed";
  if (simd !== "fixed" && simd !== "relaxed") throw new ScratchnetError(where, `simd must be 'fixed' or 'relaxed', got ${typeof simd === "string" ? `'${simd.slice(0, 40)}'` : typeof simd}`);
  return simd;
}

/** Throws, saying how to get it, when relaxed SIMD was asked for and this engine lacks it. */
export function requireRelaxedSimd(where: string): void {
  if (hasRelaxedSimd()) return;
  const node = typeof process === "object" && typeof process.versions?.node === "string" ? process.versions.node : null;
  const how = node !== null
    ? `Node ${node} does not enable it by default: run node with --experimental-wasm-relaxed-simd ` +
      "(Node 22 and later have it on; the CLI's --relaxed-simd turns it on itself)"
    : "this browser lacks it (Chrome/Edge 114 and later have it)";
  throw new ScratchnetError(where, `simd: 'relaxed' needs WebAssembly relaxed SIMD (fused multiply-add); ${how}. ` +
    "Leave simd unset for the fixed-SIMD build, which gives the same bits everywhere");
}
