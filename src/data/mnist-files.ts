// The four files of MNIST and Fashion-MNIST: names, where to download them, and how to know a
// download is the real thing. Browser-safe constants (no Node imports).
//
// Checksums are sha256 of the DECOMPRESSED bytes: mirrors (and Debian) re-compress the files,
// so the .gz bytes differ between copies while the IDX content does not. Each was computed
// from a real copy: Fashion-MNIST from Debian's dataset-fashion-mnist
// (/usr/share/datasets/fashion-mnist), MNIST from real copies of the t10k files
// (bundled in data-sample/mnist) and of the training labels.
import { ScratchnetError } from "../errors.js";
import { describeValue } from "../check.js";

export type MnistName = "mnist" | "fashion-mnist";

export type MnistPart = "trainImages" | "trainLabels" | "testImages" | "testLabels";

export const MNIST_PARTS: readonly MnistPart[] = ["trainImages", "trainLabels", "testImages", "testLabels"];

export interface MnistFileSpec {
  /** File name without `.gz` (the IDX name the book's loader uses). */
  name: string;
  /** IDX rank: 3 for images [N, 28, 28], 1 for labels [N]. */
  rank: 1 | 3;
  /** Length of the decompressed file. */
  bytes: number;
  /** sha256 (hex) of the decompressed file, or null when no trusted copy was available. */
  sha256: string | null;
  /**
   * md5 (hex) of the original .gz as published by its maintainers, for files whose
   * decompressed digest we could not compute ourselves.
   */
  gzMd5?: string;
}

export interface MnistSpec {
  name: MnistName;
  /** Base URLs tried in order; each serves `<file>.gz`. */
  mirrors: readonly string[];
  files: Readonly<Record<MnistPart, MnistFileSpec>>;
}

export const MNIST_SPECS: Readonly<Record<MnistName, MnistSpec>> = {
  "mnist": {
    name: "mnist",
    // The book's loader used yann.lecun.com; that site now often refuses scripted downloads,
    // so the two mirrors that serve byte-identical copies of the original files come first.
    mirrors: [
      "https://ossci-datasets.s3.amazonaws.com/mnist/",
      "https://storage.googleapis.com/cvdf-datasets/mnist/",
      "http://yann.lecun.com/exdb/mnist/",
    ],
    files: {
      trainImages: {
        name: "train-images-idx3-ubyte", rank: 3, bytes: 47040016,
        // No copy of the 60000 MNIST training images was available to hash, and we do not
        // write down a digest we cannot check. Instead a download is verified against the md5
        // of the original compressed file, the digest torchvision's MNIST loader pins (and
        // that dozens of independent loaders repeat): all three mirrors above serve that
        // original .gz. On top of it the usual structural checks apply (IDX magic, dims
        // 60000×28×28, exact length, and agreement with the verified train labels).
        sha256: null,
        gzMd5: "f68b3c2dcbeaaa9fbdd348bbdeb94873",
      },
      trainLabels: {
        name: "train-labels-idx1-ubyte", rank: 1, bytes: 60008,
        sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      },
      testImages: {
        name: "t10k-images-idx3-ubyte", rank: 3, bytes: 7840016,
        sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      },
      testLabels: {
        name: "t10k-labels-idx1-ubyte", rank: 1, bytes: 10008,
        sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
      },
    },
  },
  "fashion-mnist": {
    name: "fashion-mnist",
    mirrors: [
      "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
      "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ],
    files: {
      trainImages: {
        name: "train-images-idx3-ubyte", rank: 3, bytes: 47040016,
        sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      },
      trainLabels: {
        name: "train-labels-idx1-ubyte", rank: 1, bytes: 60008,
        sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      },
      testImages: {
        name: "t10k-images-idx3-ubyte", rank: 3, bytes: 7840016,
        sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      },
      testLabels: {
        name: "t10k-labels-idx1-ubyte", rank: 1, bytes: 10008,
        sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
      },
    },
  },
};

/** The spec for `dataset`, or an error listing the known names. */
export function mnistSpec(dataset: unknown, where: string): MnistSpec {
  if (dataset === "mnist" || dataset === "fashion-mnist") return MNIST_SPECS[dataset];
  throw new ScratchnetError(where, `unknown dataset ${describeValue(dataset)}; expected 'mnist' or 'fashion-mnist'`);
}
