// What the ten classes are called: digits for MNIST, clothing for Fashion-MNIST (Zalando's
// labels). Captions and probability bars use these, so an ankle boot is never captioned "9".
import type { MnistName } from "scratchnet";

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
const FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

/** Class names of a dataset; unknown (a model file that does not say) counts as digits. */
export function classNames(dataset: MnistName | null): readonly string[] {
  return dataset === "fashion-mnist" ? FASHION : DIGITS;
}
