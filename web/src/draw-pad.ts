// The drawing pad: pointer events (mouse, pen and touch alike), white ink on black like MNIST.
// `onStroke` fires when a stroke ends, with the pad's ink as a width×height intensity image.
export class DrawPad {
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private readonly g: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement, private readonly onStroke: (ink: Uint8Array, width: number, height: number) => void) {
    this.g = canvas.getContext("2d", { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener("pointerdown", (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.line(this.last, this.last);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!this.drawing) return;
      const p = this.point(e);
      this.line(this.last!, p);
      this.last = p;
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      this.onStroke(this.ink(), canvas.width, canvas.height);
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  clear(): void {
    this.g.fillStyle = "#000";
    this.g.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** The red channel (the ink is white): one byte per pixel. */
  ink(): Uint8Array {
    const { data } = this.g.getImageData(0, 0, this.canvas.width, this.canvas.height);
    const out = new Uint8Array(data.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = data[i * 4];
    return out;
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private line(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const g = this.g;
    g.strokeStyle = "#fff";
    g.lineWidth = this.canvas.width / 14; // ≈ MNIST's stroke: 2 px of 28
    g.lineCap = "round";
    g.lineJoin = "round";
    g.beginPath();
    g.moveTo(a.x, a.y);
    g.lineTo(b.x, b.y);
    g.stroke();
  }
}
