// Temporary directories that a test file makes and removes when its tests end. The suites run
// many times a day (CI, fresh clones), and runs used to leave their CLI outputs in /tmp.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * Call at a test file's top level (it registers an afterAll there). The function it returns
 * makes a fresh directory `${prefix}${label}XXXXXX` under the OS temp dir. Every directory it
 * made is removed, with its contents, after the file's last test.
 */
export function tempDirs(prefix: string): (label?: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return (label = "") => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}${label}`));
    made.push(dir);
    return dir;
  };
}
