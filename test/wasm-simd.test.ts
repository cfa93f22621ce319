// The release .wasm really computes the gemm with v128 instructions. We parse the binary
// ourselves (sections, LEB128), find each gemm export's function body through the export and
// code sections, and look for SIMD opcodes (0xFD prefix + LEB128 sub-opcode) in it.
// The exported `gemmAB_f32` is a thin wrapper (`local.get`/`i32.const`×n; `call`; `end`) that
// the optimiser keeps out of line, so we decode that wrapper and follow its call to the body
// holding the loops (the register tiles are @inline, so all their SIMD lands there).
// A scalar kernel (softmaxRows) is the negative control: the same search must NOT find
// f32x4.mul in it, which shows the search tells SIMD code from scalar code.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const WASM = new URL("../build/scratchnet.wasm", import.meta.url);

interface Reader { bytes: Uint8Array; pos: number }

function uleb(r: Reader): number {
  let result = 0, shift = 0, byte: number;
  do {
    byte = r.bytes[r.pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
}

function name(r: Reader): string {
  const len = uleb(r);
  const s = new TextDecoder().decode(r.bytes.subarray(r.pos, r.pos + len));
  r.pos += len;
  return s;
}

/** Function bodies of the exported functions, by export name. */
function exportedBodies(bytes: Uint8Array): Map<string, Uint8Array> {
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]); // "\0asm" v1
  const r: Reader = { bytes, pos: 8 };
  let importedFunctions = 0;
  const exports = new Map<string, number>(); // name → function index
  const bodies: Uint8Array[] = [];
  while (r.pos < bytes.length) {
    const id = bytes[r.pos++];
    const size = uleb(r);
    const end = r.pos + size;
    if (id === 2) { // imports: function imports shift the function index space
      for (let n = uleb(r); n > 0; n--) {
        name(r); name(r);
        const kind = bytes[r.pos++];
        if (kind === 0) { uleb(r); importedFunctions++; }
        else if (kind === 1) { r.pos++; const flags = uleb(r); uleb(r); if (flags & 1) uleb(r); } // table
        else if (kind === 2) { const flags = uleb(r); uleb(r); if (flags & 1) uleb(r); } // memory
        else if (kind === 3) { r.pos += 2; } // global: valtype + mutability
        else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 7) {
      for (let n = uleb(r); n > 0; n--) {
        const exportName = name(r);
        const kind = bytes[r.pos++];
        const index = uleb(r);
        if (kind === 0) exports.set(exportName, index);
      }
    } else if (id === 10) {
      for (let n = uleb(r); n > 0; n--) {
        const bodySize = uleb(r);
        bodies.push(bytes.subarray(r.pos, r.pos + bodySize));
        r.pos += bodySize;
      }
    }
    r.pos = end;
  }
  const out = new Map<string, Uint8Array>();
  for (const [exportName, index] of exports) out.set(exportName, followWrapper(bodies, index - importedFunctions, importedFunctions));
  return out;
}

/** If body `i` only forwards its arguments (and constants) to another function, the callee's body (recursively). */
function followWrapper(bodies: Uint8Array[], i: number, importedFunctions: number): Uint8Array {
  const body = bodies[i];
  const r: Reader = { bytes: body, pos: 0 };
  if (uleb(r) !== 0) return body; // a wrapper declares no locals
  // local.get idx (0x20) or i32.const n (0x41, e.g. a constant row range or flag), then the call
  while (body[r.pos] === 0x20 || body[r.pos] === 0x41) { r.pos++; uleb(r); } // (sleb skips like uleb)
  if (body[r.pos] !== 0x10) return body; // not `call`
  r.pos++;
  const callee = uleb(r);
  if (r.pos !== body.length - 1 || body[r.pos] !== 0x0b || callee < importedFunctions) return body; // more than call + end
  return followWrapper(bodies, callee - importedFunctions, importedFunctions);
}

/** Occurrences of SIMD instruction `op` (0xFD + LEB128 op) in a body. */
function countSimd(body: Uint8Array, op: number): number {
  const enc = [0xfd];
  let v = op;
  do { let b = v & 0x7f; v >>>= 7; if (v) b |= 0x80; enc.push(b); } while (v);
  let count = 0;
  for (let i = 0; i + enc.length <= body.length; i++) {
    let hit = true;
    for (let j = 0; j < enc.length && hit; j++) hit = body[i + j] === enc[j];
    if (hit) count++;
  }
  return count;
}

// Sub-opcodes from the WebAssembly SIMD spec.
const V128_LOAD = 0x00, V128_STORE = 0x0b;
const F32X4_ADD = 0xe4, F32X4_MUL = 0xe6, F64X2_ADD = 0xf0, F64X2_MUL = 0xf2;

describe("the release wasm computes gemm with SIMD", () => {
  const bodies = exportedBodies(new Uint8Array(readFileSync(WASM)));

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
