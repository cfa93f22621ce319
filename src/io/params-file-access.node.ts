// Gives the nets' loadParams/saveParams paths in Node: reads with fs, writes atomically (temp
// file + fsync + rename). Imported by the Node entry only, so the browser bundle stays free of `node:`.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write.node.js";
import { setParamsFileAccess } from "./net-params.js";

setParamsFileAccess({
  read: async (path) => readFile(path),
  write: (path, bytes) => writeFileAtomic(path, bytes),
});
