// A reader that goes away (`scratchnet train | head -3`) closes the CLI's stdout. The CLI must
// then stop at once and quietly, as a Unix tool killed by SIGPIPE does (status 128 + 13), not
// crash with an EPIPE stack trace or train on for nothing; and a file it was writing at that
// moment must not be left behind as a temp file.
import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const ATOMIC_WRITE = new URL("../../dist/io/atomic-write.node.js", import.meta.url).href;
const home = mkdtempSync(join(tmpdir(), "scratchnet-pipe-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("stdout closed by its reader", () => {
  it("train stops within seconds with status 141, no stack trace, no files", async () => {
    const out = join(home, "run");
    const env = { ...process.env, CI: "1", XDG_CACHE_HOME: join(home, "cache"), SCRATCHNET_OFFLINE: "1" };
    // 100 000 steps would take tens of seconds: the run must end long before that
    const child = spawn(process.execPath, [CLI, "train", "--iters", "100000", "--out", out], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    const firstLine = await new Promise<string>((resolve) => {
      let text = "";
      child.stdout.on("data", (d: Buffer) => {
        text += d.toString();
        if (text.includes("\n")) resolve(text);
      });
    });
    expect(firstLine).toMatch(/^TwoLayerNet 784-50-10 on mnist/);
    child.stdout.destroy(); // the reader goes away, as `head -1` does after its line
    const closedAt = Date.now();
    const status = await new Promise<number | null>((resolve) => {
      const deadline = setTimeout(() => { child.kill("SIGKILL"); resolve(null); }, 20_000);
      child.on("exit", (code) => { clearTimeout(deadline); resolve(code); });
    });
    expect(status, stderr).toBe(141);
    expect((Date.now() - closedAt) / 1000).toBeLessThan(10);
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(readdirSync(out)).toEqual([]); // stopped mid-training: nothing written, nothing half-written
  }, 40_000);

  it("a process that exits mid-write leaves no temp file (writeFileAtomic's exit hook)", () => {
    const dir = mkdtempSync(join(home, "exit-"));
    const script = join(home, "exit-mid-write.mjs");
    // a file system whose write never finishes: the process exits while the temp file exists
    writeFileSync(script, `
      import * as fsp from "node:fs/promises";
      import { readdirSync } from "node:fs";
      import { writeFileAtomic } from ${JSON.stringify(ATOMIC_WRITE)};
      const hanging = { ...fsp, open: async (...args) => {
        const handle = await fsp.open(...args);
        return new Proxy(handle, { get(target, prop) {
          if (prop === "write") return () => {
            process.stdout.write(readdirSync(${JSON.stringify(dir)}).join(",") + "\\n"); // the temp file, before exiting
            setTimeout(() => process.exit(7), 20);
            return new Promise(() => {});
          };
          const v = Reflect.get(target, prop);
          return typeof v === "function" ? v.bind(target) : v;
        } });
      } };
      writeFileAtomic(${JSON.stringify(join(dir, "model.safetensors"))}, new Uint8Array(10), hanging);
    `);
    const r = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 20_000 });
    expect(r.status, r.stderr).toBe(7);
    expect(r.stdout).toMatch(/^\.model\.safetensors\.[0-9a-f]{12}\.tmp\n$/); // it existed while writing
    expect(readdirSync(dir)).toEqual([]); // and is gone after the exit
  });
});
