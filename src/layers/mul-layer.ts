// The book's multiplication node for scalar computational graphs (§5.4.1).
import { ScratchnetError } from "../errors.js";
import { checkNumber } from "./scalar.js";

export class MulLayer {
  x: number | null = null;
  y: number | null = null;

  forward(x: number, y: number): number {
    this.x = checkNumber(x, "x", "MulLayer.forward");
    this.y = checkNumber(y, "y", "MulLayer.forward");
    return x * y;
  }

  /** d(x·y)/dx = y and d(x·y)/dy = x, each times the upstream gradient. */
  backward(dout: number): [dx: number, dy: number] {
    checkNumber(dout, "dout", "MulLayer.backward");
    if (typeof this.x !== "number" || typeof this.y !== "number") throw new ScratchnetError("MulLayer.backward", "call forward first");
    return [dout * this.y, dout * this.x];
  }
}
