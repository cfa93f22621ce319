// ch05/buy_apple_orange.py (§5.4.2): 2 apples and 3 oranges with 10 % tax as a computational
// graph of MulLayer/AddLayer nodes; backward from dprice = 1 gives every input's derivative.
//   npm run build && node examples/ch05-buy-apple-orange.mjs
import { AddLayer, MulLayer } from "scratchnet";
import { flags } from "./book-common.mjs";

flags();

const apple = 100, appleNum = 2, orange = 150, orangeNum = 3, tax = 1.1;

// layers
const mulAppleLayer = new MulLayer();
const mulOrangeLayer = new MulLayer();
const addAppleOrangeLayer = new AddLayer();
const mulTaxLayer = new MulLayer();

// forward
const applePrice = mulAppleLayer.forward(apple, appleNum); // (1)
const orangePrice = mulOrangeLayer.forward(orange, orangeNum); // (2)
const allPrice = addAppleOrangeLayer.forward(applePrice, orangePrice); // (3)
const price = mulTaxLayer.forward(allPrice, tax); // (4)

// backward
const dprice = 1;
const [dallPrice, dTax] = mulTaxLayer.backward(dprice); // (4)
const [dapplePrice, dorangePrice] = addAppleOrangeLayer.backward(dallPrice); // (3)
const [dorange, dorangeNum] = mulOrangeLayer.backward(dorangePrice); // (2)
const [dapple, dappleNum] = mulAppleLayer.backward(dapplePrice); // (1)

// float64 as in Python, so the same last digits as the book; it prints int() of three of them
console.log("price:", Math.trunc(price));
console.log("dApple:", dapple);
console.log("dApple_num:", Math.trunc(dappleNum)); // 110.00000000000001 before int()
console.log("dOrange:", dorange);
console.log("dOrange_num:", Math.trunc(dorangeNum));
console.log("dTax:", dTax);
