// Signals that stop the CLI: Ctrl-C while training stops the run and still writes it (130); a
// second Ctrl-C, SIGTERM or SIGHUP exits at once with the shell's status for that signal. In
// every case no file is left half-written: a temp file being written is removed on the way out.
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const ATOMIC_WRITE = new URL("../../dist/io/atomic-write.node.js", import.meta.url).href;
const SIGNALS = new URL("../../dist/cli/signals.js", import.meta.url).href;
const home = mkdtempSync(join(tmpdir(), "scratchnet-signals-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Run { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

function start(args: string[]): Run {
  const env = { ...process.env, CI: "1", XDG_CACHE_HOME: join(home, "cache"), SCRATCHNET_OFFLINE: "1" };
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "", stderr = "";
  child.stdout!.on("data", (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
  // a deadline, so a process that ignores the signal fails the test instead of hanging it
  const exited = new Promise<number | null>((resolve) => {
    const deadline = setTimeout(() => { child.kill("SIGKILL"); resolve(null); }, 30_000);
    child.on("exit", (code) => { clearTimeout(deadline); resolve(code); });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves once the run's stdout contains `text` (the deadline in `start` bounds the wait). */
function printed(run: Run, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => { if (run.stdout().includes(text)) resolve(); };
    run.child.stdout!.on("data", check);
    check();
  });
}

function trainRun(out: string): Run {
  // 100 000 steps take tens of seconds: every signal below must end the run long before that
  return start([CLI, "train", "--iters", "100000", "--out", out]);
}

describe("the CLI and signals", () => {
  it("Ctrl-C while training stops it, writes the run so far, and exits 130", async () => {
    const out = join(home, "sigint");
    const run = trainRun(out);
    await printed(run, "train acc, test acc"); // the first epoch's line: training is under way
    run.child.kill("SIGINT");
    expect(await run.exited, run.stderr()).toBe(130);
    expect(run.stdout()).toMatch(/final train acc, test acc \| [0-9.]+, [0-9.]+ \([0-9.]+ s, interrupted\)/);
    expect(readdirSync(out).sort()).toEqual(["accuracy.svg", "history.json", "loss.svg", "model.safetensors"]);
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(history.aborted).toBe(true);
    expect(history.trainLossList.length).toBeGreaterThan(0);
    expect(history.trainLossList.length).toBeLessThan(100_000);
  }, 60_000);

  it("SIGTERM while training exits 143 at once, writing nothing", async () => {
    const out = join(home, "sigterm");
    const run = trainRun(out);
    await printed(run, "train acc, test acc");
    const sentAt = Date.now();
    run.child.kill("SIGTERM");
    expect(await run.exited, run.stderr()).toBe(143);
    expect((Date.now() - sentAt) / 1000).toBeLessThan(10);
    expect(run.stderr()).not.toMatch(/Error|\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
  }, 60_000);

  it("a second Ctrl-C exits 130 while the first one's stop is still under way", async () => {
    const script = join(home, "second-ctrl-c.mjs");
    // work that never stops by itself: only the second Ctrl-C can end the process
    writeFileSync(script, `
      import { exitCleanlyOnSignals, interruptibly } from ${JSON.stringify(SIGNALS)};
      exitCleanlyOnSignals();
      setInterval(() => {}, 1000);
      interruptibly(() => process.stdout.write("stopping\\n"), () => new Promise(() => {}));
      process.stdout.write("working\\n");
    `);
    const run = start([script]);
    await printed(run, "working\n");
    run.child.kill("SIGINT");
    await printed(run, "stopping\n"); // the first Ctrl-C reached the work, and the process lives on
    run.child.kill("SIGINT");
    expect(await run.exited, run.stderr()).toBe(130);
    expect(run.stdout()).toBe("working\nstopping\n");
  }, 40_000);

  for (const [signal, status] of [["SIGTERM", 143], ["SIGHUP", 129], ["SIGINT", 130]] as const) {
    it(`${signal} in the middle of a write exits ${status} and removes the temp file`, async () => {
      const dir = mkdtempSync(join(home, "mid-write-"));
      const script = join(home, `mid-write-${signal}.mjs`);
      // a file system whose write never finishes: the signal arrives while the temp file exists
      writeFileSync(script, `
        import * as fsp from "node:fs/promises";
        import { readdirSync } from "node:fs";
        import { writeFileAtomic } from ${JSON.stringify(ATOMIC_WRITE)};
        import { exitCleanlyOnSignals } from ${JSON.stringify(SIGNALS)};
        exitCleanlyOnSignals();
        const hanging = { ...fsp, open: async (...args) => {
          const handle = await fsp.open(...args);
          return new Proxy(handle, { get(target, prop) {
            if (prop === "write") return () => {
              process.stdout.write("writing " + readdirSync(${JSON.stringify(dir)}).join(",") + "\\n");
              setInterval(() => {}, 1000); // keep the process alive: only the signal ends it
              return new Promise(() => {});
            };
            const v = Reflect.get(target, prop);
            return typeof v === "function" ? v.bind(target) : v;
          } });
        } };
        writeFileAtomic(${JSON.stringify(join(dir, "model.safetensors"))}, new Uint8Array(10), hanging);
      `);
      const run = start([script]);
      await printed(run, "\n");
      expect(run.stdout()).toMatch(/^writing \.model\.safetensors\.[0-9a-f]{12}\.tmp\n$/); // it exists while writing
      run.child.kill(signal);
      expect(await run.exited, run.stderr()).toBe(status);
      expect(readdirSync(dir)).toEqual([]); // and is gone after the signal
    }, 40_000);
  }
});
