// Numerical differentiation (§4.3–4.4): the slow, simple oracle that backprop is checked against.
import { Tensor } from "./tensor.js";
import { fail } from "./shape.js";

const H = 1e-4;

/** Central difference (f(x+h) - f(x-h)) / 2h with h = 1e-4. */
export function numericalDiff(f: (x: number) => number, x: number): number {
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
  if (typeof f !== "function") fail("numericalGradient", "f must be a function");
  const size = x instanceof Tensor ? x.size : x.length;
  const grad = x instanceof Tensor ? Tensor.zeros(x.shape, x.dtype) : new Float64Array(size);
  for (let i = 0; i < size; i++) {
    // re-read the view each time: f may grow wasm memory, which detaches old views
    const view = x instanceof Tensor ? x.data : x;
    const tmp = view[i];
    view[i] = tmp + H;
    const fxh1 = f(x as never); // the overloads tie f's parameter type to x's
    (x instanceof Tensor ? x.data : x)[i] = tmp - H;
    const fxh2 = f(x as never);
    (x instanceof Tensor ? x.data : x)[i] = tmp;
    const g = (fxh1 - fxh2) / (2 * H);
    if (grad instanceof Tensor) grad.data[i] = g;
    else grad[i] = g;
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
  if (!Number.isInteger(stepNum) || stepNum < 0) fail("gradientDescent", `stepNum must be a non-negative integer, got ${stepNum}`);
  if (!Number.isFinite(lr)) fail("gradientDescent", `lr must be finite, got ${lr}`);
  const x = Float64Array.from(initX);
  for (let i = 0; i < stepNum; i++) {
    history?.push([...x]);
    const grad = numericalGradient(f, x);
    for (let j = 0; j < x.length; j++) x[j] -= lr * grad[j];
  }
  return x;
}
