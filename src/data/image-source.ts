// What the trainer reads from a dataset. The trainer and samplers take an `ImageDataset`
// (src/data/dataset.ts) — the only kind whose uint8 rows are known to be in wasm memory with
// labels checked — and read its pixels through module-private addresses, never through
// fields a caller could forge.
export interface ImageSource {
  readonly name: string;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** rows × cols (× channels): bytes per sample. */
  readonly rowLen: number;
  readonly classes: number;
  /** Divide by 255 while gathering (the book's `normalize`). */
  readonly normalize: boolean;
  /** Rows as [N, rowLen] (true) or images as [N, 1, rows, cols] (false), the book's `flatten`. */
  readonly flatten: boolean;
}
