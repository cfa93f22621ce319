// Write a file so that readers see either the old file or the whole new one, never a part:
// write a temp file in the same directory (same filesystem, so rename is atomic), fsync it,
// rename it over the target, then fsync the directory so the rename itself survives a crash.
// On any error the temp file is removed and the target is untouched; so it is when the process
// exits part-way (process.exit, e.g. the CLI stopping because its reader closed stdout).
import * as fsp from "node:fs/promises";
import { rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

/** The file operations used; tests pass a wrapper that fails part-way. */
export type AtomicWriteFs = Pick<typeof fsp, "open" | "rename" | "rm">;

/** Temp files being written now: removed if the process exits before they are renamed or removed. */
const pendingTemps = new Set<string>();
let exitHookInstalled = false;

function removePendingTemps(): void {
  for (const temp of pendingTemps) {
    try { rmSync(temp, { force: true }); } catch { /* exiting anyway: nothing better to do */ }
  }
}

function trackTemp(temp: string): void {
  if (!exitHookInstalled) {
    process.on("exit", removePendingTemps); // "exit" listeners must be synchronous: rmSync
    exitHookInstalled = true;
  }
  pendingTemps.add(temp);
}

export async function writeFileAtomic(path: string, data: Uint8Array, fs: AtomicWriteFs = fsp): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let handle: fsp.FileHandle | undefined;
  trackTemp(temp);
  try {
    handle = await fs.open(temp, "wx"); // exclusive: never clobber someone else's temp file
    let written = 0;
    while (written < data.byteLength) {
      const { bytesWritten } = await handle.write(data, written, data.byteLength - written);
      written += bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`cannot write ${path}: ${(e as Error).message}`, { cause: e });
  } finally {
    pendingTemps.delete(temp);
  }
  await syncDirectory(dir, fs);
}

async function syncDirectory(dir: string, fs: AtomicWriteFs): Promise<void> {
  // Best effort: not every platform lets a directory be opened and fsynced (Windows does not).
  const handle = await fs.open(dir, "r").catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
