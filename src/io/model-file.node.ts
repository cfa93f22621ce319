// Models as files (Node): safetensors bytes from ./model.ts, written atomically.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write.node.js";
import { deserializeModel, serializeModel } from "./model.js";
import type { ModelNet } from "./model-registry.js";

/** Write the net to `path` (conventionally `model.safetensors`); the directory must exist. */
export async function saveModel(net: ModelNet, path: string): Promise<void> {
  const bytes = serializeModel(net);
  try {
    await writeFileAtomic(path, bytes);
  } catch (e) {
    throw new Error(`saveModel: ${(e as Error).message}`, { cause: e });
  }
}

/** A ready net read from a file saveModel wrote. */
export async function loadModel(path: string): Promise<ModelNet> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`loadModel: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return deserializeModel(bytes, path);
}
