// The book's addition node (§5.4.2): passes the upstream gradient through unchanged.
import { checkNumber } from "./scalar.js";

export class AddLayer {
  forward(x: number, y: number): number {
    return checkNumber(x, "x", "AddLayer.forward") + checkNumber(y, "y", "AddLayer.forward");
  }

  backward(dout: number): [dx: number, dy: number] {
    checkNumber(dout, "dout", "AddLayer.backward");
    return [dout * 1, dout * 1];
  }
}
