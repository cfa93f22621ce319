// §4.4 gradient_method.py: the gradient of f(x0, x1) = x0² + x1² by central differences, then
// 100 steps of gradient descent from (−3, 4) with learning rate 0.1.
//   npm run build && node examples/gradient-descent.mjs
import { gradientDescent, numericalGradient } from "scratchnet";

const function2 = (x) => x[0] ** 2 + x[1] ** 2;
const fmt = (a) => `[${Array.from(a, (v) => v.toPrecision(8)).join(", ")}]`;

for (const point of [[3.0, 4.0], [0.0, 2.0], [3.0, 0.0]]) {
  console.log(`numericalGradient at (${point.join(", ")}):`, fmt(numericalGradient(function2, point)));
}

const history = [];
const x = gradientDescent(function2, [-3.0, 4.0], 0.1, 100, history);
console.log("gradientDescent from (-3, 4), lr 0.1, 100 steps:", fmt(x));
console.log("first steps:", history.slice(0, 3).map((p) => `(${p.map((v) => v.toFixed(4)).join(", ")})`).join(" → "));
