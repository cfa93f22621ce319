// The book's multiplication node for scalar computational graphs (§5.4.1).
export class MulLayer {
  x: number | null = null;
  y: number | null = null;

  forward(x: number, y: number): number {
    this.x = x;
    this.y = y;
    return x * y;
  }

  /** d(x·y)/dx = y and d(x·y)/dy = x, each times the upstream gradient. */
  backward(dout: number): [dx: number, dy: number] {
    if (this.x === null || this.y === null) throw new Error("MulLayer.backward: call forward first");
    return [dout * this.y, dout * this.x];
  }
}
