// The book's addition node (§5.4.2): passes the upstream gradient through unchanged.
export class AddLayer {
  forward(x: number, y: number): number {
    return x + y;
  }

  backward(dout: number): [dx: number, dy: number] {
    return [dout * 1, dout * 1];
  }
}
