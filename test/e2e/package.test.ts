// The package as npm publishes it (npm pack → node_modules/scratchnet in a temp project), without
// a browser: it carries the offline digits, the standalone bundle, source maps that work and
// types without `any`; and the build that makes it is quiet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { installPackedPackage, REPO, type PackedApp } from "../browser/packed-package.js";

let app: PackedApp;
let pkg: string;

beforeAll(() => {
  app = installPackedPackage();
  pkg = join(app.dir, "node_modules", "scratchnet");
});

afterAll(() => app?.cleanup());

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]);
}

describe("the published package", () => {
  it("carries the bundled digits, the Fashion-MNIST sample and the standalone bundle", () => {
    for (const f of [
      "data-sample/mnist/t10k-images-idx3-ubyte.gz", "data-sample/mnist/t10k-labels-idx1-ubyte.gz",
      "data-sample/fashion-mnist/train-images-idx3-ubyte.gz", "data-sample/README.md",
      "dist/scratchnet.bundle.js", "build/scratchnet.wasm", "build/scratchnet.threads.wasm",
      "build/scratchnet.relaxed.wasm", "build/scratchnet.relaxed-threads.wasm",
    ]) expect(existsSync(join(pkg, f)), f).toBe(true);
    expect(statSync(join(pkg, "data-sample/mnist/t10k-images-idx3-ubyte.gz")).size).toBeGreaterThan(1_500_000);
  });

  it("every source map's sources are embedded or inside the package (no ../src/*.ts it does not ship)", () => {
    const maps = filesUnder(pkg).filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(50);
    const unresolved: string[] = [];
    for (const map of maps) {
      const m = JSON.parse(readFileSync(map, "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      m.sources.forEach((source, i) => {
        const embedded = typeof m.sourcesContent?.[i] === "string";
        const shipped = existsSync(resolve(dirname(map), source));
        if (!embedded && !shipped) unresolved.push(`${relative(pkg, map)}: ${source}`);
      });
    }
    expect(unresolved).toEqual([]);
  });

  it("its wasm builds quietly: no optimizer chatter ('Last converge was suboptimal.')", () => {
    const out = mkdtempSync(join(tmpdir(), "scratchnet-asc-"));
    try {
      for (const target of ["release", "threads"]) {
        const r = spawnSync(process.execPath, [join(REPO, "node_modules/assemblyscript/bin/asc.js"), "assembly/index.ts", "--config", "asconfig.json",
          "--target", target, "--outFile", join(out, `${target}.wasm`)], { cwd: REPO, encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout + r.stderr, target).toBe("");
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("no `any` in its public types (e.g. numericalGradient's callback, loadModel's result)", () => {
    const declarations = filesUnder(join(pkg, "dist")).filter((f) => f.endsWith(".d.ts"));
    expect(declarations.length).toBeGreaterThan(50);
    const offenders = declarations.flatMap((f) => {
      const code = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      return code.split("\n").filter((line) => /\bany\b/.test(line)).map((line) => `${relative(pkg, f)}: ${line.trim()}`);
    });
    expect(offenders).toEqual([]);
  });

  it("its CLI trains offline on the digits it ships (empty cache, no network)", () => {
    const home = mkdtempSync(join(tmpdir(), "scratchnet-pkg-home-"));
    try {
      const env: Record<string, string | undefined> = { ...process.env, CI: "1", HOME: home, XDG_CACHE_HOME: join(home, "cache"), SCRATCHNET_OFFLINE: "1" };
      delete env.SCRATCHNET_DATA_DIR;
      const r = spawnSync(process.execPath, [join(pkg, "dist/cli/main.js"), "train", "--iters", "20", "--out", join(home, "run")], { encoding: "utf8", env, cwd: home });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`on mnist [bundled-t10k-8000-2000] (8000 train / 2000 test, from bundled MNIST test digits ${join(pkg, "data-sample/mnist")}/)`);
      expect(JSON.parse(readFileSync(join(home, "run/history.json"), "utf8")).settings.dataset).toBe("mnist");
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
