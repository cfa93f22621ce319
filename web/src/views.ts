// The page's two small views: the grid of test digits with predicted labels, and the ten
// class probabilities of the drawn digit as bars. DOM only; the numbers come from the worker.
import type { DataInfo } from "./protocol.js";

/** Gray 28×28 uint8 pixels as ImageData. */
export function digitImage(pixels: Uint8Array, offset = 0): ImageData {
  const img = new ImageData(28, 28);
  for (let p = 0; p < 784; p++) {
    const v = pixels[offset + p];
    img.data.set([v, v, v, 255], p * 4);
  }
  return img;
}

/** One cell per grid image: the digit, and a caption filled in by showPredictions. */
export function buildGrid(grid: HTMLElement, info: DataInfo): void {
  const cells = [];
  for (let i = 0; i < info.gridLabels.length; i++) {
    const cell = document.createElement("div");
    cell.className = "cell";
    cell.dataset.label = String(info.gridLabels[i]);
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 28;
    canvas.getContext("2d")!.putImageData(digitImage(info.gridImages, i * 784), 0, 0);
    const caption = document.createElement("span");
    caption.textContent = "?";
    cell.append(canvas, caption);
    cells.push(cell);
  }
  grid.replaceChildren(...cells);
}

/**
 * Predicted classes under the images, by name (digits, or Fashion-MNIST's clothing names);
 * wrong ones get the `wrong` class and the true name. `data-predicted` keeps the class index.
 */
export function showPredictions(grid: HTMLElement, predicted: Uint8Array, names: readonly string[]): void {
  const cells = grid.children;
  for (let i = 0; i < Math.min(cells.length, predicted.length); i++) {
    const cell = cells[i] as HTMLElement;
    const wrong = String(predicted[i]) !== cell.dataset.label;
    cell.dataset.predicted = String(predicted[i]);
    cell.classList.toggle("wrong", wrong);
    const name = names[predicted[i]];
    cell.lastElementChild!.textContent = wrong ? `${name} (${names[Number(cell.dataset.label)]})` : name;
  }
}

/** Ten bars (the largest highlighted); `data-probs` / `data-predicted` carry the numbers. */
export function showProbs(box: HTMLElement, probs: number[] | null): void {
  box.dataset.probs = JSON.stringify(probs ?? []);
  if (!probs) { box.replaceChildren(); return; }
  const best = probs.indexOf(Math.max(...probs));
  box.replaceChildren(...probs.map((p, c) => {
    const row = document.createElement("div");
    row.className = c === best ? "bar top" : "bar";
    const bar = document.createElement("div");
    bar.style.width = `${(p * 100).toFixed(1)}%`;
    const label = document.createElement("span");
    label.textContent = String(c);
    const value = document.createElement("span");
    value.textContent = p.toFixed(3);
    row.append(label, bar, value);
    return row;
  }));
  box.dataset.predicted = String(best);
}
