// The MNIST test digits as the identical-bits pages get them: the test's server maps /mnist/
// to the bundled data-sample/mnist, the .gz files are decoded in the browser (DecompressionStream).
import { decodeIdx } from "../../src/index.js";

export async function loadDigits(): Promise<{ images: Uint8Array; labels: Uint8Array }> {
  const get = async (name: string, rank: number) => {
    const response = await fetch(`/mnist/${name}`);
    if (!response.ok) throw new Error(`/mnist/${name}: HTTP ${response.status}`);
    return (await decodeIdx(new Uint8Array(await response.arrayBuffer()), name, rank)).data;
  };
  return { images: await get("t10k-images-idx3-ubyte.gz", 3), labels: await get("t10k-labels-idx1-ubyte.gz", 1) };
}
