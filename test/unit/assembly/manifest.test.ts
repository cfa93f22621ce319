// The kernel ABI is written once, in assembly/manifest.mjs. This holds every built .wasm against
// it: the same exported function names (no more, no fewer) with the same signatures, read from
// the binary's type, function and export sections (test/helpers/wasm-binary.ts). It also checks
// that the generated glue on disk is what the manifest gives and that the TypeScript table
// lists the same functions, and — so a pass means something — that the comparison reports a
// manifest that disagrees with the wasm.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MODULES, type KernelModule } from "../../../assembly/manifest.mjs";
import { WASM_FUNCTIONS } from "../../../src/core/kernels.generated.js";
import { readWasm, type Signature } from "../../helpers/wasm-binary.js";

const BUILDS = ["scratchnet.wasm", "scratchnet.debug.wasm", "scratchnet.threads.wasm", "scratchnet.relaxed.wasm", "scratchnet.relaxed-threads.wasm"];
/** How each manifest type arrives in wasm (wasm32: pointers and flags are i32). */
const WASM_TYPE: Record<string, string> = { ptr: "i32", usize: "i32", i32: "i32", u32: "i32", bool: "i32", f64: "f64" };

/** The wasm exports a manifest promises: export name → signature. Read independently of assembly/codegen.mjs. */
function promised(modules: readonly KernelModule[]): Map<string, Signature> {
  const out = new Map<string, Signature>();
  for (const { dtypes, kernels } of modules) {
    for (const text of kernels) {
      const m = /^(\w+)\((.*)\)(?::\s*(\w+))?$/.exec(text);
      if (!m) throw new Error(`manifest entry not understood: ${text}`);
      const params = m[2].split(",").map((p) => p.trim()).filter(Boolean).map((p) => p.split(/:\s*/)[1]);
      const sig = (t: string | null) => {
        const wasm = (type: string) => (type === "T" ? t! : WASM_TYPE[type] ?? `?${type}`);
        return `(${params.map(wasm).join(" ")}) -> ${m[3] ? wasm(m[3]) : "void"}`;
      };
      if (dtypes.length === 0) out.set(m[1], sig(null));
      for (const t of dtypes) out.set(`${m[1]}_${t}`, sig(t));
    }
  }
  return out;
}

/** Every way `exported` differs from `expected`, one line each (empty: they agree). */
function mismatches(expected: Map<string, Signature>, exported: Map<string, Signature>): string[] {
  const out: string[] = [];
  for (const [name, sig] of expected) {
    if (!exported.has(name)) out.push(`${name}: in the manifest, not exported`);
    else if (exported.get(name) !== sig) out.push(`${name}: manifest ${sig}, wasm ${exported.get(name)}`);
  }
  for (const name of exported.keys()) if (!expected.has(name)) out.push(`${name}: exported, not in the manifest`);
  return out;
}

function build(file: string) {
  return readWasm(new Uint8Array(readFileSync(new URL(`../../../build/${file}`, import.meta.url))));
}

describe("the wasm exports are exactly assembly/manifest.mjs", () => {
  const expected = promised(MODULES);

  it.each(BUILDS)("%s: the same functions with the same signatures, and the memory", (file) => {
    const wasm = build(file);
    expect(mismatches(expected, wasm.functions)).toEqual([]);
    expect(wasm.functions.size).toBeGreaterThan(90); // every kernel in two dtypes, plus the untyped ones
    expect([...wasm.others]).toEqual([["memory", "memory"]]);
  });

  it("no export is hand-written beside the generated ones (every _f32 has its _f64)", () => {
    for (const name of expected.keys()) {
      const pair = name.endsWith("_f32") ? name.replace(/_f32$/, "_f64") : name.endsWith("_f64") ? name.replace(/_f64$/, "_f32") : null;
      if (pair) expect(expected.has(pair), `${name} without ${pair}`).toBe(true);
    }
    const handWritten = execFileSync("grep", ["-rlE", "export function \\w+_f(32|64)\\(", fileURLToPath(new URL("../../../assembly/", import.meta.url))], { encoding: "utf8" })
      .trim().split("\n").map((p) => p.replace(/^.*\/assembly\//, "assembly/"));
    expect(handWritten).toEqual(["assembly/exports.generated.ts"]);
  });

  it("src/core/kernels.generated.ts binds the same functions", () => {
    expect([...WASM_FUNCTIONS].sort()).toEqual([...expected.keys()].sort());
  });

  it("the generated files on disk are what the manifest gives (node assembly/codegen.mjs --check)", () => {
    const script = fileURLToPath(new URL("../../../assembly/codegen.mjs", import.meta.url));
    expect(() => execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("reports a manifest that disagrees with the wasm (negative controls)", () => {
    const wasm = build("scratchnet.wasm");
    const gemm = MODULES.find((m) => m.module === "gemm/gemm")!;
    const tamper = (change: (m: KernelModule) => KernelModule) => mismatches(promised(MODULES.map((m) => (m === gemm ? change(m) : m))), wasm.functions);
    // a kernel the wasm does not have
    expect(tamper((m) => ({ ...m, kernels: [...m.kernels, "gemmNone(C: ptr)"] }))).toEqual([
      "gemmNone_f32: in the manifest, not exported", "gemmNone_f64: in the manifest, not exported",
    ]);
    // a kernel the manifest forgot
    expect(tamper((m) => ({ ...m, kernels: m.kernels.slice(1) }))).toEqual([
      "gemmAB_f32: exported, not in the manifest", "gemmAB_f64: exported, not in the manifest",
    ]);
    // a parameter of the wrong type (f64 where the wasm takes i32), and one parameter too few
    expect(tamper((m) => ({ ...m, kernels: [m.kernels[0].replace("sak: i32", "sak: f64"), m.kernels[1].replace(", K: i32", "")] }))).toEqual([
      "gemmAB_f32: manifest (i32 i32 i32 i32 i32 i32 i32 i32 f64) -> void, wasm (i32 i32 i32 i32 i32 i32 i32 i32 i32) -> void",
      "gemmAB_f64: manifest (i32 i32 i32 i32 i32 i32 i32 i32 f64) -> void, wasm (i32 i32 i32 i32 i32 i32 i32 i32 i32) -> void",
      "gemmABt_f32: manifest (i32 i32 i32 i32 i32) -> void, wasm (i32 i32 i32 i32 i32 i32) -> void",
      "gemmABt_f64: manifest (i32 i32 i32 i32 i32) -> void, wasm (i32 i32 i32 i32 i32 i32) -> void",
    ]);
    // one dtype only
    expect(tamper((m) => ({ ...m, dtypes: ["f32"] }))).toEqual(["gemmAB_f64: exported, not in the manifest", "gemmABt_f64: exported, not in the manifest"]);
  });

  it("T is the element type: sgdUpdate's learning rate is f32 in sgdUpdate_f32 and f64 in sgdUpdate_f64", () => {
    const wasm = build("scratchnet.wasm");
    expect(wasm.functions.get("sgdUpdate_f32")).toBe("(i32 i32 f32 i32) -> void");
    expect(wasm.functions.get("sgdUpdate_f64")).toBe("(i32 i32 f64 i32) -> void");
  });
});
