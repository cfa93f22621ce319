// ch04/gradient_simplenet.py (§4.4.2): simpleNet — one 2×3 weight matrix, softmax and
// cross-entropy — and the numerical gradient of its loss with respect to W. The script draws W
// at random; these are the weights the book's text prints, so the numbers match the text.
//   npm run build && node examples/ch04-gradient-simplenet.mjs
import { SimpleNet, numericalGradient } from "scratchnet";
import { flags } from "./book-common.mjs";

flags();

const net = new SimpleNet({
  W: [[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]],
}); // float64, like numpy
const x = [0.6, 0.9];
const t = [0, 0, 1];

const p = net.predict(x);
console.log("predict:", p.toArray().map((v) => v.toFixed(8)).join(" "));
console.log("argmax:", p.toArray().indexOf(Math.max(...p.toArray())));
console.log("loss:", net.loss(x, t));

const f = (_W) => net.loss(x, t); // the book's `lambda w: net.loss(x, t)`
const dW = numericalGradient(f, net.W);
console.log("dW:");
for (const row of dW.toArray()) console.log("  " + row.map((v) => v.toFixed(8).padStart(11)).join(" "));
