// The safetensors container on its own (no nets): encode/decode round trip and edge cases.
import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "../../../src/index.node.js";

const f64Bytes = (values: number[]): Uint8Array => new Uint8Array(new Float64Array(values).buffer);

describe("safetensors container", () => {
  it("round-trips tensors (incl. zero-element and 0-d) and metadata; decoded data views the input", () => {
    const a = f64Bytes([1.5, -2, Math.PI, 1e-300]);
    const bytes = encodeSafetensors([
      ["a", { dtype: "F64", shape: [2, 2], data: a }],
      ["empty", { dtype: "F32", shape: [0, 3], data: new Uint8Array(0) }],
      ["scalar", { dtype: "F32", shape: [], data: new Uint8Array(new Float32Array([7]).buffer) }],
    ], { note: "héllo ✓", epochs: "17" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const file = decodeSafetensors(bytes, "rt");
    expect(file.metadata).toEqual({ note: "héllo ✓", epochs: "17" });
    expect([...file.tensors.keys()]).toEqual(["a", "empty", "scalar"]);
    const t = file.tensors.get("a")!;
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(new Float64Array(t.data.slice().buffer))).toEqual([1.5, -2, Math.PI, 1e-300]);
    expect(t.data.buffer).toBe(bytes.buffer); // a view, not a copy
    expect(file.tensors.get("empty")!.data.byteLength).toBe(0);
    expect(file.tensors.get("scalar")!.shape).toEqual([]);
  });

  it("accepts an unpadded header and a file without metadata (other writers' files)", () => {
    const json = Buffer.from(JSON.stringify({ x: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }));
    const bytes = new Uint8Array(8 + json.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    new DataView(bytes.buffer).setFloat32(8 + json.length, 0.5, true);
    const file = decodeSafetensors(bytes);
    expect(file.metadata).toEqual({});
    expect(new DataView(file.tensors.get("x")!.data.slice().buffer).getFloat32(0, true)).toBe(0.5);
  });

  it("encode refuses what it cannot write correctly", () => {
    const four = new Uint8Array(4);
    expect(() => encodeSafetensors([["__metadata__", { dtype: "F32", shape: [1], data: four }]])).toThrow("encodeSafetensors: '__metadata__' is reserved");
    expect(() => encodeSafetensors([["w", { dtype: "F32", shape: [2], data: four }]])).toThrow("encodeSafetensors: tensor 'w' F32 [2] needs 8 bytes, got 4");
    expect(() => encodeSafetensors([["w", { dtype: "F32", shape: [1], data: four }], ["w", { dtype: "F32", shape: [1], data: four }]])).toThrow("two tensors are named 'w'");
    expect(() => encodeSafetensors([], { n: 3 as unknown as string })).toThrow("encodeSafetensors: metadata 'n' must be a string, got number");
  });

  it("the error names the file passed in", () => {
    expect(() => decodeSafetensors(new Uint8Array(3), "/models/x.safetensors")).toThrow("/models/x.safetensors: truncated at byte 3");
  });
});
