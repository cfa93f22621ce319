// The library's error class for bad arguments. A refusal of the tensor, layer, net and trainer
// API is a ScratchnetError whose message starts with who refused ("Affine.forward: …",
// "TwoLayerNet: …") and says what was wrong, so `catch (e) { if (e instanceof ScratchnetError) … }`
// separates a bad argument from a bug. The file, data and network layers (src/io, src/data, the
// CLI) refuse with their own Error subclasses (FileFormatError with its byte offset,
// CacheMismatchError, DivergenceError, UsageError …) or plain Errors whose message starts with the
// file or function concerned — not yet ScratchnetErrors. Raw engine errors (TypeError, RangeError,
// WebAssembly.RuntimeError) reaching a user are defects; the fuzz suite (test/unit/fuzz/) looks
// for them and accepts both kinds of refusal (test/unit/fuzz/check.ts).

import { describeValue } from "./check.js";
import { MESSAGE_MAX, clip } from "./quote.js";

export class ScratchnetError extends Error {
  /** The function, class or method that refused, e.g. "Affine.forward". */
  readonly where: string;

  constructor(where: string, message: string, options?: { cause?: unknown }) {
    const w = typeof where === "string" ? where : describeValue(where);
    // a backstop: messages quote user data through quote()/formatShape, which keep it short
    super(clip(`${w}: ${typeof message === "string" ? message : describeValue(message)}`, MESSAGE_MAX), options);
    this.where = w;
  }
}
// on the prototype, not each instance: String(e) reads "ScratchnetError: Affine.forward: …"
Object.defineProperty(ScratchnetError.prototype, "name", { value: "ScratchnetError", writable: true, configurable: true });

/** Throws `where: message` — a single place so every error reads the same way. */
export function fail(where: string, message: string): never {
  throw new ScratchnetError(where, message);
}
