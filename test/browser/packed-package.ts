// Install scratchnet into a temp directory the way a user gets it: `npm pack` (the `files`
// list and `exports` map as published), unpacked into node_modules/scratchnet. Its one
// runtime dependency is linked from this repo's node_modules, so nothing touches the network.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

export interface PackedApp {
  dir: string;
  cleanup(): void;
}

/** A temp project with the packed package installed. Needs `npm run build` to have run (npm test does). */
export function installPackedPackage(): PackedApp {
  for (const f of ["dist/index.browser.js", "dist/index.node.js", "build/scratchnet.wasm"]) {
    if (!existsSync(join(REPO, f))) throw new Error(`installPackedPackage: ${f} is missing; run \`npm run build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), "scratchnet-app-"));
  // --ignore-scripts: `prepare` would rebuild the tree other tests are reading
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], { cwd: REPO, encoding: "utf8" });
  const tgz = join(dir, out.trim().split("\n").pop()!);
  const pkgDir = join(dir, "node_modules", "scratchnet");
  mkdirSync(pkgDir, { recursive: true });
  execFileSync("tar", ["-xzf", tgz, "-C", pkgDir, "--strip-components=1"]);
  const deps = Object.keys(JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).dependencies ?? {});
  for (const dep of deps) {
    const target = join(dir, "node_modules", dep);
    mkdirSync(join(target, ".."), { recursive: true });
    symlinkSync(join(REPO, "node_modules", dep), target, "dir");
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
