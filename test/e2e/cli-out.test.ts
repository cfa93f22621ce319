// `--out` that cannot be written: the run must stop within seconds, before any data is loaded or
// any step taken, with a message naming the flag and the path — never train first and fail at
// the end, never spin (recursive mkdir loops forever on procfs). The tests run as root, so the
// unwritable places are ones root cannot write either: procfs, sysfs, a file, an immutable dir.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), "scratchnet-out-"));
const aFile = join(home, "a-file");
writeFileSync(aFile, "not a directory\n");

// An immutable directory (chattr +i): even root cannot create entries in it. Not every
// filesystem supports the flag (overlayfs, tmpfs), so the test says when it could not make one.
const immutable = join(home, "immutable");
const madeImmutable = spawnSync("sh", ["-c", `mkdir "${immutable}" && chattr +i "${immutable}"`]).status === 0;

afterAll(() => {
  if (madeImmutable) spawnSync("chattr", ["-i", immutable]);
  rmSync(home, { recursive: true, force: true });
});

function train(out: string) {
  const started = Date.now();
  const env = { ...process.env, CI: "1", XDG_CACHE_HOME: join(home, "cache"), SCRATCHNET_OFFLINE: "1" };
  const r = spawnSync(process.execPath, [CLI, "train", "--iters", "10000", "--out", out], { encoding: "utf8", env, timeout: 20_000 });
  return { ...r, seconds: (Date.now() - started) / 1000 };
}

const cases: [string, string, RegExp][] = [
  ["a new dir under /proc", "/proc/scratchnet-forbidden", /cannot create directory \/proc\/scratchnet-forbidden \(ENOENT/],
  ["a deeper path under /proc", "/proc/scratchnet-forbidden/a/b", /cannot create directory \/proc\/scratchnet-forbidden \(ENOENT/],
  ["an existing file", aFile, /exists and is not a directory/],
  ["a path under a file", join(aFile, "run"), new RegExp(`${aFile} is not a directory`)],
  ["a path under /etc/passwd", "/etc/passwd/x", /\/etc\/passwd is not a directory/],
  ["a new dir in a read-only sysfs dir", "/sys/kernel/scratchnet-run", /cannot create directory \/sys\/kernel\/scratchnet-run \((EPERM|EACCES|EROFS)/],
  ["an existing sysfs dir that refuses files", "/sys/kernel", /cannot write into the directory \((EPERM|EACCES|EROFS)/],
];

describe("train --out that cannot be written", () => {
  it.each(cases)("%s (%s): exit 1 within 5 s, before training, naming --out and the path", (_what, out, reason) => {
    const r = train(out);
    expect(r.status, r.stderr).toBe(1);
    expect(r.seconds).toBeLessThan(5);
    expect(r.stderr).toMatch(new RegExp(`^scratchnet train: --out ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
    expect(r.stderr).toMatch(reason);
    // nothing was loaded or trained: no data banner, no header line, no epoch line
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("MNIST");
  });

  it.runIf(madeImmutable)("a new dir inside an immutable (chattr +i) directory", () => {
    const out = join(immutable, "run");
    const r = train(out);
    expect(r.status, r.stderr).toBe(1);
    expect(r.seconds).toBeLessThan(5);
    expect(r.stderr).toContain(`scratchnet train: --out ${out}: cannot create directory ${out} (EPERM`);
    expect(r.stdout).toBe("");
  });

  it.runIf(madeImmutable)("the immutable directory itself: the write probe refuses it", () => {
    const r = train(immutable);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`scratchnet train: --out ${immutable}: cannot write into the directory (EPERM`);
    expect(readdirSync(immutable)).toEqual([]); // no probe file left behind
  });

  it("a writable --out is created, parents included, and left without probe files", () => {
    const out = join(home, "new", "deeper", "run");
    const env = { ...process.env, CI: "1", XDG_CACHE_HOME: join(home, "cache"), SCRATCHNET_OFFLINE: "1" };
    const r = spawnSync(process.execPath, [CLI, "train", "--iters", "3", "--hidden", "5", "--out", out], { encoding: "utf8", env, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["accuracy.svg", "history.json", "loss.svg", "model.safetensors"]);
  });
});
