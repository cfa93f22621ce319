// Vite dev-server plugin: serves the MNIST / Fashion-MNIST files found on this machine so the
// demo can load them with one click. Looks where `loadMnist` looks (SCRATCHNET_DATA_DIR, the
// user cache, Debian's /usr/share/datasets). The bundled digits (data-sample/mnist) are not
// listed here: the page imports them as assets, so a static build has them too.
//   GET /__data/index.json       → DataSourceInfo[]
//   GET /__data/<id>/<file>      → the file's bytes (.gz or raw IDX, as on disk)
import { createReadStream } from "node:fs";
import { basename, join } from "node:path";
import type { Plugin } from "vite";
// the package's Node entry (from source, as the page uses the browser entry): this runs in Vite's process
import { DATA_DIR_ENV, MNIST_SPECS, findMnistFiles, mnistCacheDir, type MnistName, type MnistPart } from "../src/index.node.js";
import type { DataSourceInfo } from "./src/data-sources.js";

const SPLIT_TEST_AT = 8000;

interface Candidate { dir: string; dataset: MnistName; where: string }

function candidates(env = process.env): Candidate[] {
  const list: Candidate[] = [];
  const explicit = env[DATA_DIR_ENV];
  for (const dataset of ["mnist", "fashion-mnist"] as const) {
    if (explicit) list.push({ dir: explicit, dataset, where: `$${DATA_DIR_ENV}` }, { dir: join(explicit, dataset), dataset, where: `$${DATA_DIR_ENV}/${dataset}` });
    list.push({ dir: mnistCacheDir(dataset), dataset, where: "user cache" });
    list.push({ dir: `/usr/share/datasets/${dataset}`, dataset, where: "system" });
  }
  return list;
}

/** Every directory holding a usable set: all four files, or at least the two test files. */
type FoundSource = DataSourceInfo & { paths: Partial<Record<MnistPart, string>> };

export async function findDataSources(): Promise<FoundSource[]> {
  const found: FoundSource[] = [];
  for (const c of candidates()) {
    const { files } = await findMnistFiles(c.dir, MNIST_SPECS[c.dataset]);
    const full = Object.keys(files).length === 4;
    if (!full && !(files.testImages && files.testLabels)) continue;
    const id = String(found.length);
    const parts = (full ? Object.keys(files) : ["testImages", "testLabels"]) as MnistPart[];
    found.push({
      id, dataset: c.dataset,
      label: `${c.dataset} (${c.where}${full ? "" : `: test set only, split ${SPLIT_TEST_AT}/${10000 - SPLIT_TEST_AT}`})`,
      urls: Object.fromEntries(parts.map((p) => [p, `/__data/${id}/${basename(files[p]!)}`])),
      splitTest: full ? undefined : SPLIT_TEST_AT,
      paths: Object.fromEntries(parts.map((p) => [p, files[p]!])),
    });
  }
  return found;
}

export function scratchnetData(): Plugin {
  return {
    name: "scratchnet-data",
    configureServer(server) {
      server.middlewares.use("/__data/", (req, res) => {
        void (async () => {
          const sources = await findDataSources();
          const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
          if (path === "/index.json") {
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify(sources.map(({ paths: _paths, ...info }) => info)));
            return;
          }
          const [, id, file] = path.split("/");
          const source = sources.find((s) => s.id === id);
          const hit = source && Object.values(source.paths).find((p) => basename(p) === file);
          if (!hit) { res.statusCode = 404; res.end(`no such data file: ${path}`); return; }
          res.setHeader("content-type", "application/octet-stream");
          createReadStream(hit).on("error", () => { res.statusCode = 500; res.end(); }).pipe(res);
        })().catch((e: Error) => { res.statusCode = 500; res.end(e.message); });
      });
    },
  };
}
