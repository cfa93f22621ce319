// The release .wasm really computes the gemm with v128 instructions. We parse the binary
// ourselves (test/helpers/wasm-binary.ts: sections, LEB128), find each gemm export's function
// body through the export and code sections, and look for SIMD opcodes (0xFD prefix + LEB128
// sub-opcode) in it.
// The exported `gemmAB_f32` is a thin wrapper (`local.get`/`i32.const`×n; `call`; `end`) that
// the optimiser keeps out of line, so we decode that wrapper and follow its call to the body
// holding the loops (the register tiles are @inline, so all their SIMD lands there).
// A scalar kernel (softmaxRows) is the negative control: the same search must NOT find
// f32x4.mul in it, which shows the search tells SIMD code from scalar code.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countSimd, readWasm } from "../../../helpers/wasm-binary.js";

const WASM = new URL("../../../../build/scratchnet.wasm", import.meta.url);

// Sub-opcodes from the WebAssembly SIMD spec.
const V128_LOAD = 0x00, V128_STORE = 0x0b;
const F32X4_ADD = 0xe4, F32X4_MUL = 0xe6, F64X2_ADD = 0xf0, F64X2_MUL = 0xf2;

describe("the release wasm computes gemm with SIMD", () => {
  const { bodies } = readWasm(new Uint8Array(readFileSync(WASM)));

  // gemmAB_<t> is a dispatcher (packs B, checks it is finite, splits rows over threads) that
  // calls the row kernel out of line; the loops live in gemmABRows_<t>, exported for this check.
  it.each(["gemmABRows_f32", "gemmABt_f32"])("%s uses v128.load/store, f32x4.mul and f32x4.add", (fn) => {
    const body = bodies.get(fn);
    expect(body, `export ${fn} not found`).toBeDefined();
    const counts = { load: countSimd(body!, V128_LOAD), store: countSimd(body!, V128_STORE), mul: countSimd(body!, F32X4_MUL), add: countSimd(body!, F32X4_ADD) };
    expect(counts.load, JSON.stringify(counts)).toBeGreaterThan(0);
    expect(counts.mul, JSON.stringify(counts)).toBeGreaterThanOrEqual(8); // the 4×2 register tile
    expect(counts.add, JSON.stringify(counts)).toBeGreaterThanOrEqual(8);
    if (fn === "gemmABRows_f32") expect(counts.store).toBeGreaterThan(0); // gemmABt stores scalars after hsum
  });

  it.each(["gemmABRows_f64", "gemmABt_f64"])("%s uses f64x2.mul and f64x2.add", (fn) => {
    const body = bodies.get(fn)!;
    expect(body, `export ${fn} not found`).toBeDefined();
    expect(countSimd(body, F64X2_MUL)).toBeGreaterThanOrEqual(8);
    expect(countSimd(body, F64X2_ADD)).toBeGreaterThanOrEqual(8);
  });

  it("negative control: the scalar softmax has no f32x4.mul", () => {
    const body = bodies.get("softmaxRows_f32")!;
    expect(body.length).toBeGreaterThan(50);
    expect(countSimd(body, F32X4_MUL)).toBe(0);
  });
});
