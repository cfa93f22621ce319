// What parts of the suite need beyond `npm ci`: Debian's chromium (browser tests), Debian's
// dataset-fashion-mnist (the full-dataset tests) and python3 + numpy (reading a model file the
// way Python users do). Missing one, its tests are skipped and test/helpers/global-setup.ts
// prints ONE loud line per prerequisite saying what to install — except when $CI is set: then
// a missing prerequisite fails the run, because CI must never pass by skipping.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM_PATH } from "../browser/chromium.js";
import { FASHION_DIR } from "./mnist.js";

export interface Prerequisite {
  what: string;
  install: string;
  available(): boolean;
}

const FASHION_FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

export const PREREQUISITES = {
  chromium: {
    what: `Chromium at ${CHROMIUM_PATH} (the browser tests)`,
    install: "apt-get install chromium   (or set SCRATCHNET_CHROMIUM=/path/to/chromium)",
    available: () => existsSync(CHROMIUM_PATH),
  },
  fashion: {
    what: `Fashion-MNIST in ${FASHION_DIR} (the full-dataset tests)`,
    install: "apt-get install dataset-fashion-mnist",
    available: () => FASHION_FILES.every((f) => existsSync(join(FASHION_DIR, f))),
  },
  numpy: {
    what: "python3 with numpy (a model file read from Python)",
    install: "apt-get install python3-numpy",
    available: () => spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" }).status === 0,
  },
} satisfies Record<string, Prerequisite>;

export type PrerequisiteName = keyof typeof PREREQUISITES;

/** $CI set (to anything but "" / "0" / "false"): missing prerequisites fail instead of skipping. */
export const IN_CI = !["", "0", "false", undefined].includes(process.env.CI?.toLowerCase());

const known = new Map<PrerequisiteName, boolean>();

/** Whether the prerequisite is here (tests use it with describe.runIf / it.runIf). */
export function have(name: PrerequisiteName): boolean {
  if (!known.has(name)) known.set(name, PREREQUISITES[name].available());
  return known.get(name)!;
}

/** The loud line for a missing prerequisite. */
export function missingLine(name: PrerequisiteName): string {
  const p = PREREQUISITES[name];
  return `!!! SKIPPING the tests that need ${p.what}: not found. Install it: ${p.install}`;
}
