// Runs once before the suite (vitest globalSetup): one loud line per missing prerequisite, or,
// with $CI set, a failed run (see prerequisites.ts).
import { IN_CI, PREREQUISITES, have, missingLine, type PrerequisiteName } from "./prerequisites.js";

export default function setup(): void {
  // every tier (vitest project) runs its global setup: say it once per run
  if (process.env.SCRATCHNET_PREREQUISITES_CHECKED === "1") return;
  process.env.SCRATCHNET_PREREQUISITES_CHECKED = "1";
  const missing = (Object.keys(PREREQUISITES) as PrerequisiteName[]).filter((name) => !have(name));
  if (missing.length === 0) return;
  if (IN_CI) {
    throw new Error(
      `CI is set and the suite's prerequisites are missing — CI must not pass by skipping:\n` +
      missing.map((name) => `  - ${PREREQUISITES[name].what}: ${PREREQUISITES[name].install}`).join("\n"),
    );
  }
  for (const name of missing) process.stderr.write(`${missingLine(name)}\n`);
}
