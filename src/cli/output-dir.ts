// `--out DIR`: created and proven writable before any data is loaded or any step is taken, so a
// bad path costs seconds, not a finished training run. The directories are made one level at a
// time — never `mkdir({ recursive: true })`, which loops forever on procfs (`/proc/x` answers
// ENOENT to every attempt) — so the work is bounded by the number of path components.
import { closeSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, resolve } from "node:path";

/** A --out that cannot be used: the flag, the path and the reason, in one line. */
export class OutputDirError extends Error {
  constructor(flag: string, path: string, reason: string) {
    super(`${flag} ${path}: ${reason}`);
    this.name = "OutputDirError";
  }
}

/** Create `path` (and missing parents) and write-probe it; throws OutputDirError naming `flag`. */
export function prepareOutputDir(path: string, flag = "--out"): string {
  const target = resolve(path);
  const fail = (reason: string): never => { throw new OutputDirError(flag, path, reason); };
  // walk up to the deepest ancestor that exists (at most one step per component)
  const missing: string[] = [];
  for (let dir = target; ; dir = dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === "dir") break;
    if (kind === "other") fail(dir === target ? "exists and is not a directory" : `${dir} is not a directory`);
    if (typeof kind === "object") fail(`cannot look at ${dir} (${describe(kind)})`);
    missing.push(dir);
    if (dirname(dir) === dir) break; // the root itself is missing: mkdir below reports it
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir); // one level, never recursive
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code !== "EEXIST" || kindOf(dir) !== "dir") fail(`cannot create directory ${dir} (${describe(e)})`);
    }
  }
  // a directory can exist and still refuse files (read-only mount, immutable, permissions, sysfs)
  const probe = `${target}/.scratchnet-write-test-${randomBytes(4).toString("hex")}`;
  let fd: number | undefined;
  try {
    fd = openSync(probe, "wx");
    writeSync(fd, "ok");
  } catch (error) {
    fail(`cannot write into the directory (${describe(error as NodeJS.ErrnoException)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
    try { unlinkSync(probe); } catch { /* never created */ }
  }
  return target;
}

function kindOf(path: string): "dir" | "other" | "missing" | NodeJS.ErrnoException {
  try {
    return statSync(path).isDirectory() ? "dir" : "other";
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ENOENT") return "missing";
    if (e.code === "ENOTDIR") return "missing"; // a parent is a file: the walk up reports it
    return e;
  }
}

function describe(e: NodeJS.ErrnoException): string {
  const text = e.message.replace(/^\w+: /, "").replace(/, \w+ '.*'$/, "");
  return e.code ? `${e.code}: ${text}` : text;
}
