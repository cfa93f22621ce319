// Round trips through real Python + numpy (whichever python3 is on PATH: numpy 2.x here, Debian's
// numpy 1.24 in CI): our pickle writer's output loads with pickle.load as the book's load_params
// does, our .npz/.npy load with np.load, and numpy's freshly written files load here — all bit for
// bit. Python's side uses make_fixtures.py's canon(), so both sides compare one canonical form.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  encodeNpz, encodePickleParams, loadNpz, loadPickle, NumpyArray, saveNpy, saveNpz, savePickleParams, Tensor,
} from "../../src/index.node.js";
import { canon } from "../helpers/numpy-canon.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "numpy");
const SAMPLE_WEIGHT = join(import.meta.dirname, "..", "..", "data-sample", "book", "sample_weight.pkl");
const hasNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;
const required = process.env.SCRATCHNET_REQUIRE_NUMPY === "1"; // set by .ci/run, which installs python3-numpy
if (!hasNumpy) console.warn(`NOTE: python3 with numpy not found: the Python round-trip tests are ${required ? "FAILING (SCRATCHNET_REQUIRE_NUMPY=1)" : "skipped"}`);

it.runIf(required)("numpy is available when SCRATCHNET_REQUIRE_NUMPY=1", () => {
  expect(hasNumpy, "python3 -c 'import numpy' failed; install python3-numpy").toBe(true);
});

/** Run Python (warnings are errors: a numpy DeprecationWarning would fail the test) and parse its JSON output. */
function python(script: string, ...args: string[]): any {
  const prelude = `import sys, json, pickle, numpy as np\nsys.path.insert(0, ${JSON.stringify(FIXTURES)})\nfrom make_fixtures import canon\n`;
  return JSON.parse(execFileSync("python3", ["-W", "error", "-c", prelude + script, ...args], { encoding: "utf8" }));
}

const dir = mkdtempSync(join(tmpdir(), "scratchnet-book-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Float tensors whose values use every bit (no rounding could hide), plus integer and bool arrays. */
function sampleParams(): Record<string, Tensor | NumpyArray> {
  const f32 = Tensor.zeros([3, 4], "float32");
  const bits = new Uint32Array(f32.data.buffer, f32.data.byteOffset, 12);
  for (let i = 0; i < 12; i++) bits[i] = (0x3f800000 + i * 0x12345) ^ (i % 2 ? 0x80000000 : 0); // ±1.xxx with mixed mantissas
  const f64 = Tensor.from([Math.PI, -0, 1e-310, -Number.MAX_VALUE, 1 / 3], [5], "float64");
  return {
    W1: f32, b1: Tensor.from([0.1, 0.2, 0.3, 0.4], [4]), W2: f64, scalar: Tensor.from([2.5], [], "float64"),
    empty: Tensor.zeros([0, 7], "float32"), i64: new NumpyArray("int64", [2, 2], new BigInt64Array([-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n])),
    u8: new NumpyArray("uint8", [3], Uint8Array.from([0, 128, 255])), mask: new NumpyArray("bool", [2], Uint8Array.from([1, 0])),
  };
}

describe.runIf(hasNumpy)("with Python and numpy", () => {
  it("encodePickleParams: the book's load_params reads it (pickle.load, dict of writable C-ordered ndarrays), values exact", async () => {
    const params = sampleParams();
    const path = join(dir, "params.pkl");
    await savePickleParams(path, params);
    const out = python(`
with open(sys.argv[1], 'rb') as f:
    params = pickle.load(f)                      # the book's load_params, line for line
net_params = {}
for key, val in params.items():
    net_params[key] = val
for val in net_params.values():
    val[...] = val                               # the optimizers update in place: must be writable
print(json.dumps({"numpy": np.__version__, "type": type(params).__name__,
                  "flags": {k: [type(v).__name__, bool(v.flags.writeable), bool(v.flags.c_contiguous)] for k, v in net_params.items()},
                  "canon": canon(net_params)}))`, path);
    expect(out.type).toBe("dict");
    for (const [key, flags] of Object.entries(out.flags)) expect(flags, key).toEqual(["ndarray", true, true]);
    expect(out.canon).toEqual(canon(params));
    console.log(`pickle written by scratchnet read by numpy ${out.numpy}`);
  });

  it("sample_weight.pkl: loadPickle → encodePickleParams gives arrays numpy finds identical to the book's file", async () => {
    const params = (await loadPickle(SAMPLE_WEIGHT)) as Record<string, Tensor>;
    const path = join(dir, "sample_weight-again.pkl");
    writeFileSync(path, encodePickleParams(params));
    const out = python(`
with open(sys.argv[1], 'rb') as fa, open(sys.argv[2], 'rb') as fb:
    a = pickle.load(fa); b = pickle.load(fb)
print(json.dumps({k: [a[k].dtype == b[k].dtype, a[k].shape == b[k].shape, a[k].tobytes() == b[k].tobytes()] for k in b}))`, SAMPLE_WEIGHT, path);
    expect(Object.keys(out).sort()).toEqual(["W1", "W2", "W3", "b1", "b2", "b3"]);
    for (const [key, same] of Object.entries(out)) expect(same, key).toEqual([true, true, true]);
  });

  it("saveNpz / saveNpy: np.load reads them exactly (stored and compressed)", async () => {
    const params = sampleParams();
    for (const compress of [false, true]) {
      const path = join(dir, `params-${compress}.npz`);
      await saveNpz(path, params, { compress });
      const out = python("print(json.dumps(canon(dict(np.load(sys.argv[1])))))", path);
      expect(out).toEqual(canon(params));
    }
    const npy = join(dir, "W1.npy");
    await saveNpy(npy, params.W1);
    expect(python("print(json.dumps(canon(np.load(sys.argv[1]))))", npy)).toEqual(canon(params.W1));
  });

  it("an .npz and pickles numpy writes now (seeded random arrays, every dtype) read back exactly", async () => {
    const npz = join(dir, "numpy.npz");
    const zipped = join(dir, "numpy-compressed.npz");
    const expected = python(`
rng = np.random.default_rng(13)
arrays = {
    "f32": rng.standard_normal((17, 5)).astype("<f4"), "f64_fortran": np.asfortranarray(rng.standard_normal((4, 6, 3))),
    "f64_be": rng.standard_normal(9).astype(">f8"), "f16": rng.standard_normal(11).astype("<f2"),
    "i32": rng.integers(-2**31, 2**31, size=(3, 3), dtype="<i4"), "u64": rng.integers(0, 2**64, size=5, dtype="<u8", endpoint=False),
    "bool": rng.random(7) > 0.5,
}
np.savez(sys.argv[1], **arrays)
np.savez_compressed(sys.argv[2], **arrays)
for p in (2, 3, 4, 5):
    with open(sys.argv[3] + str(p), "wb") as f:
        pickle.dump(arrays, f, protocol=p)
print(json.dumps(canon(arrays)))`, npz, zipped, join(dir, "numpy-p"));
    expect(canon(await loadNpz(npz))).toEqual(expected);
    expect(canon(await loadNpz(zipped))).toEqual(expected);
    for (const p of [2, 3, 4, 5]) expect(canon(await loadPickle(join(dir, `numpy-p${p}`))), `protocol ${p}`).toEqual(expected);
  });

  it("encodeNpz's bytes are a zip Python's zipfile accepts member by member (names, CRCs)", async () => {
    const path = join(dir, "check.npz");
    writeFileSync(path, await encodeNpz(sampleParams(), { compress: true }));
    const out = python(`
import zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"bad": z.testzip(), "names": z.namelist()}))`, path);
    expect(out).toEqual({ bad: null, names: Object.keys(sampleParams()).map((k) => `${k}.npy`) });
  });
});
