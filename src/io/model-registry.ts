// Which net classes can be saved as a whole model, and how to rebuild each from its file.
// Generic over a net's `params`; each architecture adds only its config ↔ constructor mapping,
// so a new net (MultiLayerNet, SimpleConvNet …) registers itself without touching src/io.
import type { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { fail, type Shape } from "../shape.js";
import { describeValue } from "../check.js";

/** What a savable net must have: a dtype and its named parameter tensors. */
export interface ModelNet {
  readonly dtype: DType;
  readonly params: Readonly<Record<string, Tensor>>;
}

/** A net class, whatever its constructor takes (`never[]` accepts every parameter list). */
export type NetClass<Net extends ModelNet = ModelNet> = abstract new (...args: never[]) => Net;

export interface ModelArchitecture<Net extends ModelNet = ModelNet, Config = unknown> {
  /** The class; a net's architecture is found by its exact constructor (any constructor signature). */
  readonly netClass: NetClass<Net>;
  /** JSON-able sizes/settings from which `create` builds a net of the same shape. */
  config(net: Net): Config;
  /**
   * The tensor shapes a net of this config has. Optional but recommended: loading compares them
   * with the file's before `create` allocates anything, so a corrupt config (hiddenSize 10^6 in
   * a 160 KB file) is an immediate error instead of gigabytes of wasm memory.
   */
  shapes?(config: Config): Readonly<Record<string, Shape>>;
  /**
   * The keys a config must have (dotted for nested ones: "convParam.stride"). Loading checks
   * them first, so a file whose config lost one is an error naming the file and the key.
   */
  readonly configKeys?: readonly string[];
  /** A fresh net of that shape and dtype; its values are then overwritten from the file. */
  create(config: Config, dtype: DType): Net;
  /** The tensors a file holds; default `net.params`. Nets with state beyond params (BatchNorm running means) add it here. */
  tensors?(net: Net): Readonly<Record<string, Tensor>>;
}

const architectures = new Map<string, ModelArchitecture>();

/** Make a net class savable with serializeModel/saveModel under `name` (stored in the file). */
export function registerModelArchitecture<Net extends ModelNet, Config>(name: string, arch: ModelArchitecture<Net, Config>): void {
  const where = "registerModelArchitecture";
  // everything checked before the registry changes: a bad entry must not break later saves and loads
  if (typeof name !== "string" || name === "" || name.length > 200) fail(where, `name must be a non-empty string (≤ 200 characters), got ${describeValue(name)}`);
  if (typeof arch !== "object" || arch === null) fail(where, `the architecture must be an object { netClass, config, create, … }, got ${describeValue(arch)}`);
  if (typeof arch.netClass !== "function") fail(where, `netClass must be the net's class, got ${describeValue(arch.netClass)}`);
  for (const key of ["config", "create"] as const) {
    if (typeof arch[key] !== "function") fail(where, `${key} must be a function, got ${describeValue(arch[key])}`);
  }
  for (const key of ["shapes", "tensors"] as const) {
    if (arch[key] !== undefined && typeof arch[key] !== "function") fail(where, `${key} must be a function when given, got ${describeValue(arch[key])}`);
  }
  const known = architectures.get(name);
  if (known && known.netClass !== arch.netClass) fail(where, `'${name}' is already registered for another class`);
  if (known) {
    // the same registration again (a module evaluated twice) is fine; a different one would
    // silently change how every file of this architecture loads
    const same = (["config", "create", "shapes", "tensors"] as const).every((k) => known[k] === arch[k]);
    if (same) return;
    fail(where, `'${name}' is already registered with other functions; registrations cannot be replaced`);
  }
  for (const [other, a] of architectures) {
    if (other !== name && a.netClass === arch.netClass) fail(where, `${arch.netClass.name || "this class"} is already registered as '${other}'`);
  }
  // a frozen copy: changing the caller's object later cannot change what the registry holds
  architectures.set(name, Object.freeze({ ...arch }) as unknown as ModelArchitecture);
}

/** The registered architecture of `name`, or undefined. */
export function modelArchitecture(name: string): ModelArchitecture | undefined {
  return architectures.get(name);
}

/** The name and architecture registered for this net's class, or undefined. */
export function architectureOf(net: ModelNet): { name: string; arch: ModelArchitecture } | undefined {
  for (const [name, arch] of architectures) if (arch.netClass === net.constructor) return { name, arch };
  return undefined;
}

export function registeredArchitectureNames(): string[] {
  return [...architectures.keys()];
}
