// Element types. float32 is the default (speed); float64 is for gradient checks.
import { fail } from "./errors.js";
import { quote } from "./quote.js";

export type DType = "float32" | "float64";
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ["float32", "float64"];

export function bytesPerElement(dtype: DType): number {
  return dtype === "float32" ? 4 : 8;
}

export function arrayTypeOf(dtype: DType): Float32ArrayConstructor | Float64ArrayConstructor {
  return dtype === "float32" ? Float32Array : Float64Array;
}

export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === "float32" || dtype === "float64") return dtype;
  return fail(where, `dtype must be 'float32' or 'float64', got ${quote(dtype, 40)}`);
}
