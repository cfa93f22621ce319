// Models as files (Node): safetensors bytes from ./model.ts, written atomically.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write.node.js";
import { deserializeModel, serializeModel } from "./model.js";
import type { ModelNet, NetClass } from "./model-registry.js";

/**
 * Write the net to `path` (conventionally `model.safetensors`); the directory must exist.
 * `options.metadata` adds string entries to the file's metadata (see serializeModel).
 */
export async function saveModel(net: ModelNet, path: string, options: { metadata?: Readonly<Record<string, string>> } = {}): Promise<void> {
  const bytes = serializeModel(net, options.metadata);
  try {
    await writeFileAtomic(path, bytes);
  } catch (e) {
    throw new Error(`saveModel: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * A ready net read from a file saveModel wrote. With the class you expect —
 * `loadModel(path, TwoLayerNet)` — the result has that type (checked against the file).
 */
export async function loadModel(path: string): Promise<ModelNet>;
export async function loadModel<Net extends ModelNet>(path: string, expected: NetClass<Net>): Promise<Net>;
export async function loadModel(path: string, expected?: NetClass): Promise<ModelNet> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`loadModel: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return expected ? deserializeModel(bytes, path, expected) : deserializeModel(bytes, path);
}
