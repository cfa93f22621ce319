// Raw-kernel benchmark rows need operands in wasm memory and their addresses, which the public
// API never hands out: they come from a bench-owned arena through the one internal entry
// (dist/internal.js, see src/internal.ts), never through deep imports of other dist/ files.
import { Arena, getCore, paramBlockPtr, ptrOf, zerosIn } from "../../dist/internal.js";

const arena = new Arena("bench buffers");

/** A zeroed tensor in wasm memory (kept for the whole process). */
export const wasmZeros = (shape, dtype = "float32") => zerosIn(arena, shape, dtype, "bench buffers");

/** `values` in a wasm tensor of `shape`. */
export function wasmFrom(values, shape, dtype = "float32") {
  const t = wasmZeros(shape, dtype);
  t.data.set(values);
  return t;
}

export { getCore, paramBlockPtr, ptrOf };
