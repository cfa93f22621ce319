// ch05/buy_apple.py (§5.4.1): 2 apples at 100 each with 10 % tax, forward and backward through
// two MulLayer nodes. The derivatives say how much the price moves per unit of each input.
//   npm run build && node examples/ch05-buy-apple.mjs
import { MulLayer } from "scratchnet";
import { flags } from "./book-common.mjs";

flags();

const apple = 100, appleNum = 2, tax = 1.1;

const mulAppleLayer = new MulLayer();
const mulTaxLayer = new MulLayer();

// forward
const applePrice = mulAppleLayer.forward(apple, appleNum);
const price = mulTaxLayer.forward(applePrice, tax);

// backward
const dprice = 1;
const [dapplePrice, dTax] = mulTaxLayer.backward(dprice);
const [dapple, dappleNum] = mulAppleLayer.backward(dapplePrice);

console.log("price:", Math.trunc(price)); // 220.00000000000003 before int()
console.log("dApple:", dapple);
console.log("dApple_num:", Math.trunc(dappleNum));
console.log("dTax:", dTax);
