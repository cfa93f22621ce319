// The property-based fuzz suite over the public API (issue 14). Every case draws arguments from
// one seed — valid ones, or with some replaced by junk (edge numbers, wrong types, detached and
// exotic arrays, forged and disposed tensors, throwing Proxies) — calls one API, and must end
// in one of three ways: a result equal to the float64 reference (or meeting the API's
// invariants), a named library error (ScratchnetError, or `file: …` from the I/O layer), or a
// user's own exception passed through. A raw engine error (TypeError, RangeError, a wasm trap,
// a stack overflow), a mismatch, or a case running longer than SLOW_MS fails the suite.
// After every case that did not succeed, a fixed probe (probe.ts) must give the same bits as
// at the start, which are the bits a fresh process gives (recorded below). At the end the
// allocator holds what it held at the start, plus at most the per-call scratch's growth.
//
//   SCRATCHNET_FUZZ_CASES=100000 SCRATCHNET_FUZZ_SEED=7 npx vitest run test/fuzz   (a longer run)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCore, scratchCapacity } from "../../../src/internal.js";
import { Gen } from "./gen.js";
import { classify, type Outcome } from "./check.js";
import { probe } from "./probe.js";
import { tensorFamilies, type Family } from "./families-tensor.js";
import { layerFamilies } from "./families-layers.js";
import { netFamilies } from "./families-nets.js";
import { dataFamilies } from "./families-data.js";

const CASES = Number(process.env.SCRATCHNET_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.SCRATCHNET_FUZZ_SEED ?? 1_000_003);
const SLOW_MS = 5_000;
/** probe() in a fresh process (node, this commit): what every later probe must equal. */
const FRESH_PROBE = "ba112e23991eb2e9d562631f7c4d50c90f99f4c1db7a87a0888a5427f08601d1";

const FAMILIES: Family[] = [...tensorFamilies, ...layerFamilies, ...netFamilies, ...dataFamilies];

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message.slice(0, 300)}\n${(e.stack ?? "").split("\n").slice(1, 4).join("\n")}`;
  return `non-Error thrown: ${typeof e}`;
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`hang: no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe("API fuzz", () => {
  // Junk arguments include relative paths ("float32", "int8" …) for the savers: they must land in
  // a scratch directory, never in the repository the suite runs from.
  const home = process.cwd();
  const scratchDir = mkdtempSync(join(tmpdir(), "scratchnet-fuzz-cwd-"));
  beforeAll(() => process.chdir(scratchDir));
  afterAll(() => {
    process.chdir(home);
    rmSync(scratchDir, { recursive: true, force: true });
  });

  it(`${CASES} seeded cases: named errors or reference results, no raw error, trap, hang or corruption`, async () => {
    const start = probe();
    expect(start).toBe(FRESH_PROBE);
    const allocator = getCore().allocator;
    const inUse = allocator.bytesInUse, scratch = scratchCapacity();
    const counts = new Map<string, Record<Outcome, number>>(FAMILIES.map((f) => [f.name, { ok: 0, named: 0, user: 0, raw: 0 }]));
    const failures: string[] = [];
    const began = performance.now();
    for (let i = 0; i < CASES && failures.length < 20; i++) {
      const g = new Gen(SEED + i); // each case reproducible on its own: Gen(SEED + i)
      const family = g.pick(FAMILIES);
      const p = g.bool() ? 0 : g.pick([0.1, 0.25, 0.5]);
      const t0 = performance.now();
      let outcome: Outcome = "ok";
      try {
        const r = family.run(g, p);
        if (r instanceof Promise) await withDeadline(r, SLOW_MS);
      } catch (e) {
        outcome = classify(e);
        if (outcome === "raw") failures.push(`case ${i} (${family.name}, p ${p}): ${describeError(e)}`);
      } finally {
        g.arena.dispose();
      }
      const ms = performance.now() - t0;
      if (ms > SLOW_MS) failures.push(`case ${i} (${family.name}): took ${ms.toFixed(0)} ms`);
      (counts.get(family.name) as Record<Outcome, number>)[outcome]++;
      if (outcome !== "ok") {
        let after: string;
        try { after = probe(); } catch (e) { after = `probe threw ${describeError(e)}`; }
        if (after !== start) { failures.push(`case ${i} (${family.name}): the probe changed after this case: ${after.slice(0, 400)}`); break; }
      }
    }
    const seconds = (performance.now() - began) / 1000;
    console.log(`${CASES} cases in ${seconds.toFixed(1)} s (seed ${SEED})`);
    console.table(Object.fromEntries(counts));
    expect(failures).toEqual([]);
    for (const [name, c] of counts) {
      expect(c.ok + c.named + c.user, `${name} ran`).toBeGreaterThan(0);
      if (!/disposed|registerModelArchitecture|forged/.test(name)) expect(c.ok, `${name} succeeded at least once`).toBeGreaterThan(0);
    }
    // nothing leaked: every owner a case made was disposed or refused before allocating
    expect(allocator.bytesInUse - inUse).toBeLessThanOrEqual(scratchCapacity() - scratch);
  }, 300_000); // ~7–30 s on a loaded 2-core machine; a case stuck in a loop fails here
});
