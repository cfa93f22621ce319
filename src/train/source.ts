// What the trainer needs from a dataset: uint8 rows and labels already in wasm memory.
// `ImageDataset` (src/data/dataset.ts) satisfies it; so can any other uint8 image set.
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
  readonly imagesPtr: number;
  readonly labelsPtr: number;
}
