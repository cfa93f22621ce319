// Numerical differentiation (§4.3–4.4): the slow, simple oracle that backprop is checked against.
import { Tensor, isTensor } from "../tensor.js";
import { fail } from "../shape.js";
import { checkFinite, checkFunction, describeValue, isDetached, isNumberList } from "../check.js";

const H = 1e-4;

/** Central difference (f(x+h) - f(x-h)) / 2h with h = 1e-4. */
export function numericalDiff(f: (x: number) => number, x: number): number {
  checkFunction(f, "f", "numericalDiff");
  checkFinite(x, "x", "numericalDiff");
  return (f(x + H) - f(x - H)) / (2 * H);
}

type Point = Tensor | Float64Array | Float32Array | number[];

/**
 * ∂f/∂x for every element of x (any shape), by central differences. x is perturbed in place
 * and restored, so `f` may ignore its argument and read shared state (the book's
 * `lambda W: net.loss(x, t)`). Returns the same kind as x: Tensor → Tensor, array → Float64Array.
 */
export function numericalGradient(f: (x: Tensor) => number, x: Tensor): Tensor;
export function numericalGradient<X extends Float64Array | Float32Array | number[]>(f: (x: X) => number, x: X): Float64Array;
export function numericalGradient(f: (x: never) => number, x: Point): Tensor | Float64Array {
  const where = "numericalGradient";
  checkFunction(f, "f", where);
  const isT = isTensor(x);
  if (!isT && !Array.isArray(x) && !(x instanceof Float64Array) && !(x instanceof Float32Array)) {
    fail(where, `x must be a Tensor, a Float64Array, a Float32Array or an array of numbers, got ${describeValue(x)}`);
  }
  if (!isT && ArrayBuffer.isView(x) && isDetached(x)) fail(where, "x is a typed array whose buffer was detached");
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) if (typeof x[i] !== "number") fail(where, `x[${i}] is ${describeValue(x[i])}, not a number`);
  }
  const size = isT ? x.size : x.length;
  const grad = isT ? Tensor.zeros(x.shape, x.dtype) : new Float64Array(size);
  for (let i = 0; i < size; i++) {
    // re-read the view each time: f may grow wasm memory, which detaches old views
    const view = isT ? x.data : x;
    const tmp = view[i];
    view[i] = tmp + H;
    const fxh1 = f(x as never); // the overloads tie f's parameter type to x's
    (isT ? x.data : x)[i] = tmp - H;
    const fxh2 = f(x as never);
    (isT ? x.data : x)[i] = tmp;
    if (typeof fxh1 !== "number" || typeof fxh2 !== "number") {
      fail(where, `f must return a number, got ${describeValue(typeof fxh1 !== "number" ? fxh1 : fxh2)}`);
    }
    const g = (fxh1 - fxh2) / (2 * H);
    if (isT) (grad as Tensor).data[i] = g;
    else (grad as Float64Array)[i] = g;
  }
  return grad;
}

/**
 * x ← x - lr · ∇f(x), stepNum times, from a copy of initX (§4.4.1). Pass `history` to collect
 * each x before its step, as the book's gradient_method.py does for its plot.
 */
export function gradientDescent(
  f: (x: Float64Array) => number, initX: ArrayLike<number>, lr = 0.01, stepNum = 100, history?: number[][],
): Float64Array {
  const where = "gradientDescent";
  checkFunction(f, "f", where);
  if (typeof stepNum !== "number" || !Number.isInteger(stepNum) || stepNum < 0 || stepNum > 1e7) fail(where, `stepNum must be an integer in [0, 10^7], got ${describeValue(stepNum)}`);
  checkFinite(lr, "lr", where);
  if (!isNumberList(initX) || (ArrayBuffer.isView(initX) && isDetached(initX))) fail(where, `initX must be an array of numbers, got ${describeValue(initX)}`);
  if (history !== undefined && !Array.isArray(history)) fail(where, `history must be an array, got ${describeValue(history)}`);
  for (let i = 0; i < initX.length; i++) if (typeof initX[i] !== "number") fail(where, `initX[${i}] is ${describeValue(initX[i])}, not a number`);
  const x = Float64Array.from(initX);
  for (let i = 0; i < stepNum; i++) {
    history?.push([...x]);
    const grad = numericalGradient(f, x);
    for (let j = 0; j < x.length; j++) x[j] -= lr * grad[j];
  }
  return x;
}
