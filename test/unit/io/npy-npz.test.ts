// .npy and .npz: numpy's own files read back bit for bit (numpy 1.24 and 2.4 wrote them), our
// writer reproduces numpy's .npy bytes exactly, and broken or hostile files are clear errors.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeNpy, decodeNpz, encodeNpy, encodeNpz, FileFormatError, loadNpy, loadNpz, NumpyArray, Tensor } from "../../../src/index.node.js";
import { canon } from "../../helpers/numpy-canon.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "numpy");
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const expected = (tag: string) => JSON.parse(readFileSync(join(FIXTURES, `expected-${tag}.json`), "utf8")) as { files: Record<string, string>; values: Record<string, unknown> };

async function errorOf(work: () => unknown): Promise<FileFormatError> {
  try {
    await work();
  } catch (e) {
    expect(e).toBeInstanceOf(FileFormatError);
    return e as FileFormatError;
  }
  throw new Error("expected an error");
}

describe.each(["np1", "np2"])("files written by %s", (tag) => {
  const { files, values } = expected(tag);
  const npys = Object.keys(files).filter((f) => f.endsWith(".npy"));
  const npzs = Object.keys(files).filter((f) => f.endsWith(".npz"));

  it("every .npy fixture is listed", () => {
    expect(npys.length).toBe(readdirSync(join(FIXTURES, `npy-${tag}`)).length);
    expect(npys.length).toBeGreaterThan(20);
  });

  it.each(npys)("%s reads back bit for bit", async (file) => {
    expect(canon(await loadNpy(join(FIXTURES, file)))).toEqual(values[files[file]]);
  });

  it.each(npzs)("%s (np.savez / np.savez_compressed) reads back bit for bit", async (file) => {
    expect(canon(await loadNpz(join(FIXTURES, file)))).toEqual(values[files[file]]);
  });

  it("encodeNpy writes exactly the bytes np.save wrote (C-ordered little-endian arrays)", () => {
    const same = ["f32_c", "f32_special", "f64_special", "f64_0d", "i32_0d", "f32_empty_0x3", "f64_empty", "bool", "i8", "u8", "i16", "i32", "u32", "i64", "u64"];
    for (const key of same) {
      const bytes = fixture(`npy-${tag}/${key}.npy`);
      expect(Buffer.from(encodeNpy(decodeNpy(bytes))).equals(Buffer.from(bytes)), key).toBe(true);
    }
  });
});

describe("writing", () => {
  it("encodeNpz → decodeNpz is exact, stored and deflated, for every dtype", async () => {
    const arrays = await loadNpz(join(FIXTURES, "stored-np2.npz"));
    // float16 arrays were widened to float32 on reading, so they are written back as float32
    const asWritten = (v: unknown) => JSON.stringify(canon(v)).replaceAll(',"widened_from":"float16"', "");
    expect(asWritten(arrays)).not.toBe(JSON.stringify(canon(arrays)));
    for (const compress of [false, true]) {
      const bytes = await encodeNpz(arrays, { compress });
      expect(bytes[8], "compression method").toBe(compress ? 8 : 0);
      expect(JSON.stringify(canon(await decodeNpz(bytes)))).toBe(asWritten(arrays));
    }
  });

  it("is deterministic (fixed timestamps): equal arrays give equal bytes", async () => {
    const a = { W: Tensor.from([1, 2, 3], [3]) };
    expect(Buffer.from(await encodeNpz(a)).equals(Buffer.from(await encodeNpz({ W: Tensor.from([1, 2, 3], [3]) })))).toBe(true);
  });

  it("refuses what it cannot write, naming the key", async () => {
    await expect(encodeNpz({ W: [1, 2] as never })).rejects.toThrow(/encodeNpz: W: encodeNpy: expected a Tensor or a NumpyArray, got a Array/);
    expect(() => new NumpyArray("int32", [2, 2], new Int32Array(3))).toThrow(/int32 \[2, 2\] needs a Int32Array of 4 elements, got a Int32Array of 3 elements/);
  });
});

const npy = (header: string, data = new Uint8Array(0), major = 1) => {
  const head = new TextEncoder().encode(header);
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + head.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, head.length, true);
  else view.setUint32(8, head.length, true);
  out.set(head, pre);
  out.set(data, pre + head.length);
  return out;
};

describe("hostile and broken .npy", () => {
  it.each([
    ["bad magic", new TextEncoder().encode("\x93NUMPX\x01\x00\x00\x00"), /at byte 0: not a \.npy file/],
    ["version 4.0", npy("{}", undefined, 4), /at byte 6: format version 4\.0 is not supported/],
    ["a header longer than the file", (() => { const b = npy("{'descr': '<f4'}"); new DataView(b.buffer).setUint16(8, 5000, true); return b; })(), /at byte 8: truncated: the header claims 5000 bytes, but the file ends at byte 26/],
    ["a 4 GB header length (version 2)", (() => { const b = npy("{}", undefined, 2); new DataView(b.buffer).setUint32(8, 0xffffffff, true); return b; })(), /header length 4294967295 is above the 10000-byte limit/],
    ["code in the header", npy("{'descr': __import__('os').system('echo hi'), 'fortran_order': False, 'shape': (1,), }"), /at byte 20: header: unexpected "_" at character 10: only strings, True\/False and tuples/],
    ["a missing key", npy("{'descr': '<f4', 'shape': (1,), }", new Uint8Array(4)), /must have exactly the keys descr, fortran_order, shape; it has descr, shape/],
    ["an extra key", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1, }", new Uint8Array(4)), /it has descr, fortran_order, shape, x/],
    ["a shape that is not a tuple", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3), }", new Uint8Array(12)), /shape must be a tuple of integers, got 3/],
    ["a negative dimension", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"), /header: unexpected "-"/],
    ["fortran_order not a bool", npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", new Uint8Array(4)), /fortran_order must be True or False, got 0/],
    ["a structured dtype", npy("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), /descr is a list: a structured dtype/],
    ["object arrays", npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /dtype 'O' holds Python objects/],
    ["complex numbers", npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16)), /dtype 'c16' holds complex numbers/],
    ["a header promising more data than the file has", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,), }", new Uint8Array(16)), /promises float64 \(1000000000\) = 8000000000 bytes of data, but the file holds 16 after the header \(truncated\)/],
    ["trailing bytes", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /= 4 bytes of data, but the file holds 8 after the header \(trailing bytes\)/],
    ["a shape whose element count overflows", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"), /has too many elements/],
  ])("%s", async (_name, bytes, message) => {
    expect((await errorOf(() => decodeNpy(bytes))).message).toMatch(message);
  });

  it("cut at every byte offset: always a FileFormatError saying truncated", async () => {
    const whole = fixture("npy-np2/f64_fortran_3d.npy");
    for (let cut = 0; cut < whole.byteLength; cut++) {
      const e = await errorOf(() => decodeNpy(whole.subarray(0, cut)));
      if (!/truncated/.test(e.message)) throw new Error(`cut at ${cut}: ${e.message}`);
    }
  });
});

/** Offsets in a one-member stored zip written by encodeNpz (no extra fields, no comment). */
function layout(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.byteLength - 22;
  const cd = view.getUint32(eocd + 16, true);
  return { view, eocd, cd, nameLength: view.getUint16(cd + 28, true), dataStart: 30 + view.getUint16(26, true) };
}

/** The same archive with zip64 fields everywhere: sizes/offset in a zip64 extra, zip64 end records. */
function asZip64(zip: Uint8Array): Uint8Array {
  const { view, eocd, cd, nameLength } = layout(zip);
  const data = zip.subarray(0, cd);
  const entry = new Uint8Array(46 + nameLength + 28);
  entry.set(zip.subarray(cd, cd + 46 + nameLength));
  const ev = new DataView(entry.buffer);
  ev.setUint32(20, 0xffffffff, true);
  ev.setUint32(24, 0xffffffff, true);
  ev.setUint32(42, 0xffffffff, true);
  ev.setUint16(30, 28, true); // extra length
  const x = 46 + nameLength;
  ev.setUint16(x, 1, true);
  ev.setUint16(x + 2, 24, true);
  ev.setBigUint64(x + 4, BigInt(view.getUint32(cd + 24, true)), true);
  ev.setBigUint64(x + 12, BigInt(view.getUint32(cd + 20, true)), true);
  ev.setBigUint64(x + 20, BigInt(view.getUint32(cd + 42, true)), true);
  const z64 = new DataView(new ArrayBuffer(56 + 20 + 22));
  const zAt = cd + entry.byteLength;
  z64.setUint32(0, 0x06064b50, true);
  z64.setBigUint64(4, 44n, true);
  z64.setBigUint64(24, 1n, true);
  z64.setBigUint64(32, 1n, true);
  z64.setBigUint64(40, BigInt(entry.byteLength), true);
  z64.setBigUint64(48, BigInt(cd), true);
  z64.setUint32(56, 0x07064b50, true);
  z64.setBigUint64(56 + 8, BigInt(zAt), true);
  z64.setUint32(56 + 16, 1, true);
  const end = new Uint8Array(zip.subarray(eocd));
  const endView = new DataView(end.buffer);
  endView.setUint16(8, 0xffff, true);
  endView.setUint16(10, 0xffff, true);
  endView.setUint32(12, 0xffffffff, true);
  endView.setUint32(16, 0xffffffff, true);
  new Uint8Array(z64.buffer).set(end, 76);
  return Uint8Array.from([...data, ...entry, ...new Uint8Array(z64.buffer)]);
}

describe("hostile and broken .npz", () => {
  const one = () => encodeNpz({ W: Tensor.from([1.5, -2, 3], [3], "float64") });

  it("reads zip64 directories (sizes and offsets in zip64 fields, zip64 end records)", async () => {
    const z = asZip64(await one());
    expect(canon(await decodeNpz(z))).toEqual(canon(await decodeNpz(await one())));
  });

  it("refuses a zip64 directory whose fields point past the file", async () => {
    const z = asZip64(await one());
    const view = new DataView(z.buffer);
    const entryAt = view.getUint32(z.byteLength - 22 - 20 - 56 + 48, true);
    const nameLength = view.getUint16(entryAt + 28, true);
    view.setBigUint64(entryAt + 46 + nameLength + 4 + 16, 2n ** 40n, true); // the member's offset
    expect((await errorOf(() => decodeNpz(z))).message).toMatch(/zip64 offset 1099511627776 is larger than the file/);
  });

  it("a CRC mismatch", async () => {
    const z = await one();
    z[layout(z).dataStart + 130] ^= 1; // a byte of the array data
    expect((await errorOf(() => decodeNpz(z, { name: "w.npz" }))).message).toMatch(/^w\.npz: member W\.npy: at byte \d+: CRC-32 mismatch: the data gives 0x[0-9a-f]{8}, the directory says 0x[0-9a-f]{8}/);
  });

  it("a zip bomb: a member that inflates past its declared size is stopped", async () => {
    const z = await encodeNpz({ W: Tensor.zeros([4_000_000], "float64") }, { compress: true }); // 32 MB of zeros, ~30 KB deflated
    const { view, cd } = layout(z);
    expect(view.getUint32(cd + 20, true)).toBeLessThan(100_000);
    view.setUint32(cd + 24, 1_000_000, true); // declare 1 MB
    expect((await errorOf(() => decodeNpz(z))).message).toMatch(/inflates past its declared size of 1000000 bytes: corrupt or a zip bomb; stopped/);
  });

  it("a declared size no deflate stream could produce, or above the limit, is refused before inflating", async () => {
    const z = await encodeNpz({ W: Tensor.from([1, 2], [2]) }, { compress: true });
    const { view, cd } = layout(z);
    view.setUint32(cd + 24, 500_000_000, true);
    expect((await errorOf(() => decodeNpz(z))).message).toMatch(/declares 500000000 bytes from \d+ compressed, more than deflate can produce/);
    view.setUint32(cd + 24, 3_000_000_000, true);
    expect((await errorOf(() => decodeNpz(z))).message).toMatch(/declares 3000000000 bytes uncompressed, above the 1073741824-byte limit \(maxMemberBytes\)/);
    const small = await encodeNpz({ W: Tensor.zeros([1000]) }, { compress: true });
    await expect(decodeNpz(small, { maxMemberBytes: 1000 })).rejects.toThrow(/declares 4128 bytes uncompressed, above the 1000-byte limit/);
  });

  it("corrupt deflate data", async () => {
    const z = await encodeNpz({ W: Tensor.from([1, 2, 3, 4, 5, 6, 7, 8], [8]) }, { compress: true });
    const { dataStart } = layout(z);
    z.fill(0xff, dataStart, dataStart + 8);
    expect((await errorOf(() => decodeNpz(z))).message).toMatch(/member W\.npy: at byte \d+: (the deflate data is corrupt|inflates|CRC-32 mismatch)/);
  });

  it.each([
    ["not a zip", new Uint8Array(100), /no end-of-central-directory record: not a zip file, or truncated \(100 bytes\)/],
  ])("%s", async (_name, bytes, message) => {
    expect((await errorOf(() => decodeNpz(bytes))).message).toMatch(message);
  });

  it("unsupported methods, encryption and non-array members are named", async () => {
    const patch = async (at: (l: ReturnType<typeof layout>) => void) => {
      const z = await one();
      at(layout(z));
      return z;
    };
    const method12 = await patch(({ view, cd }) => view.setUint16(cd + 10, 12, true));
    expect((await errorOf(() => decodeNpz(method12))).message).toMatch(/member W\.npy uses compression method 12; only stored \(0\) and deflate \(8\)/);
    const encrypted = await patch(({ view, cd }) => view.setUint16(cd + 8, 1, true));
    expect((await errorOf(() => decodeNpz(encrypted))).message).toMatch(/member W\.npy is encrypted/);
    const renamed = await patch(() => undefined);
    const { cd, nameLength } = layout(renamed);
    renamed.set(new TextEncoder().encode("W.txt"), cd + 46);
    expect(nameLength).toBe(5);
    expect((await errorOf(() => decodeNpz(renamed))).message).toMatch(/member W\.txt is not an array \(\.npy\)/);
  });

  it("overlapping members (two directory entries sharing one stream: the overlapping zip bomb)", async () => {
    const z = await one();
    const { eocd, cd } = layout(z);
    const entry = z.slice(cd, eocd);
    const twin = entry.slice();
    twin.set(new TextEncoder().encode("V"), 46); // same data, another name
    const end = z.slice(eocd);
    const ev = new DataView(end.buffer);
    ev.setUint16(8, 2, true);
    ev.setUint16(10, 2, true);
    ev.setUint32(12, 2 * entry.byteLength, true);
    const bomb = Uint8Array.from([...z.subarray(0, eocd), ...twin, ...end]);
    expect((await errorOf(() => decodeNpz(bomb))).message).toMatch(/members (W|V)\.npy and (V|W)\.npy overlap/);
  });

  it("a local header whose name differs from the directory's", async () => {
    const z = await one();
    z[30] = "X".charCodeAt(0);
    expect((await errorOf(() => decodeNpz(z))).message).toMatch(/member W\.npy: at byte 0: the local header names it "X\.npy"/);
  });

  it("cut at every byte offset: always a FileFormatError", async () => {
    const whole = await one();
    for (let cut = 0; cut < whole.byteLength; cut++) await errorOf(() => decodeNpz(whole.subarray(0, cut)));
  });
});
