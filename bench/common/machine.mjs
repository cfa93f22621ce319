// What the numbers were measured on: CPU model and cores, Node, V8, and (filled in by run.mjs
// from the numpy subprocess) numpy and its BLAS kernel.
import { cpus, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

function lscpuModel() {
  const r = spawnSync("lscpu", [], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const field = (name) => r.stdout.match(new RegExp(`^${name}:\\s*(.+)$`, "m"))?.[1]?.trim() ?? null;
  return { model: field("Model name"), family: field("CPU family"), modelNumber: field("Model"), flagsAvx512: /avx512f/.test(field("Flags") ?? "") };
}

export function machineInfo() {
  const lscpu = lscpuModel();
  let scratchnetVersion = null;
  try { scratchnetVersion = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version; } catch { /* keep null */ }
  return {
    cpu: lscpu?.model ?? cpus()[0]?.model ?? "unknown",
    cpuFamily: lscpu ? `${lscpu.family}/${lscpu.modelNumber}` : null,
    avx512: lscpu?.flagsAvx512 ?? null,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    scratchnet: scratchnetVersion,
  };
}
