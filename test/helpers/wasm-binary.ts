// Reading a .wasm file ourselves (sections, LEB128): which functions it exports, with which
// signature, and their code. Used to hold the built modules against assembly/manifest.mjs and
// to look for SIMD instructions in the GEMM.

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

const VALTYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128" };

/** A function signature as text, e.g. "(i32 i32 f64) -> f64" ("-> void" for none). */
export type Signature = string;

export interface WasmFile {
  /** Exported functions: name → signature. */
  functions: Map<string, Signature>;
  /** Names of exports that are not functions, with their kind (memory, global, table). */
  others: Map<string, string>;
  /** Function bodies of the exported functions, by export name (a forwarding wrapper followed to its callee). */
  bodies: Map<string, Uint8Array>;
}

const KINDS = ["function", "table", "memory", "global"];

export function readWasm(bytes: Uint8Array): WasmFile {
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d || bytes[4] !== 1) throw new Error("not a wasm v1 module");
  const r: Reader = { bytes, pos: 8 };
  let importedFunctions = 0;
  const importedTypes: number[] = [];
  const types: Signature[] = [];
  const functionTypes: number[] = []; // type index of each defined function
  const exports: { name: string; kind: number; index: number }[] = [];
  const bodies: Uint8Array[] = [];
  while (r.pos < bytes.length) {
    const id = bytes[r.pos++];
    const size = uleb(r);
    const end = r.pos + size;
    if (id === 1) { // types
      for (let n = uleb(r); n > 0; n--) {
        if (bytes[r.pos++] !== 0x60) throw new Error("unexpected type form");
        const params = Array.from({ length: uleb(r) }, () => VALTYPES[bytes[r.pos++]]);
        const results = Array.from({ length: uleb(r) }, () => VALTYPES[bytes[r.pos++]]);
        types.push(`(${params.join(" ")}) -> ${results.join(" ") || "void"}`);
      }
    } else if (id === 2) { // imports: function imports shift the function index space
      for (let n = uleb(r); n > 0; n--) {
        name(r); name(r);
        const kind = bytes[r.pos++];
        if (kind === 0) { importedTypes.push(uleb(r)); importedFunctions++; }
        else if (kind === 1) { r.pos++; const flags = uleb(r); uleb(r); if (flags & 1) uleb(r); } // table
        else if (kind === 2) { const flags = uleb(r); uleb(r); if (flags & 1) uleb(r); } // memory
        else if (kind === 3) { r.pos += 2; } // global: valtype + mutability
        else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 3) { // functions: their type indices
      for (let n = uleb(r); n > 0; n--) functionTypes.push(uleb(r));
    } else if (id === 7) {
      for (let n = uleb(r); n > 0; n--) {
        const exportName = name(r);
        const kind = bytes[r.pos++];
        exports.push({ name: exportName, kind, index: uleb(r) });
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
  const file: WasmFile = { functions: new Map(), others: new Map(), bodies: new Map() };
  for (const e of exports) {
    if (e.kind !== 0) { file.others.set(e.name, KINDS[e.kind]); continue; }
    const typeIndex = e.index < importedFunctions ? importedTypes[e.index] : functionTypes[e.index - importedFunctions];
    file.functions.set(e.name, types[typeIndex]);
    if (e.index >= importedFunctions) file.bodies.set(e.name, followWrapper(bodies, e.index - importedFunctions, importedFunctions));
  }
  return file;
}

/**
 * The exported `gemmAB_f32` is a thin wrapper (`local.get`/`i32.const`×n; `call`; `end`) that
 * the optimiser keeps out of line: if body `i` only forwards its arguments (and constants) to
 * another function, return the callee's body (recursively).
 */
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
export function countSimd(body: Uint8Array, op: number): number {
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
