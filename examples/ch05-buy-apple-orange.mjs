// §5.4 buy_apple_orange.py: forward and backward through a graph of MulLayer/AddLayer nodes.
//   npm run build && node examples/apple-orange.mjs
import { AddLayer, MulLayer } from "scratchnet";

const apple = 100, appleNum = 2, orange = 150, orangeNum = 3, tax = 1.1;

// layers
const mulAppleLayer = new MulLayer();
const mulOrangeLayer = new MulLayer();
const addAppleOrangeLayer = new AddLayer();
const mulTaxLayer = new MulLayer();

// forward
const applePrice = mulAppleLayer.forward(apple, appleNum);
const orangePrice = mulOrangeLayer.forward(orange, orangeNum);
const allPrice = addAppleOrangeLayer.forward(applePrice, orangePrice);
const price = mulTaxLayer.forward(allPrice, tax);

// backward
const dprice = 1;
const [dallPrice, dTax] = mulTaxLayer.backward(dprice);
const [dapplePrice, dorangePrice] = addAppleOrangeLayer.backward(dallPrice);
const [dorange, dorangeNum] = mulOrangeLayer.backward(dorangePrice);
const [dapple, dappleNum] = mulAppleLayer.backward(dapplePrice);

// float64 as in Python, so the same last digits as the book's output (it prints int(price))
console.log("price:", Math.trunc(price));
console.log("dApple:", dapple);
console.log("dApple_num:", dappleNum);
console.log("dOrange:", dorange);
console.log("dOrange_num:", dorangeNum);
console.log("dTax:", dTax);
