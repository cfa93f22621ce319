// DeepConvNet's geometry (the book's ch08/deep_convnet.py constructor arithmetic): its six conv
// layers' defaults, the parameter shapes and fan-ins they imply, and the checks that refuse a
// geometry the book's code would silently truncate. Shared by the class and its model-file
// registration (deep-conv-net.ts), which checks a file's config before allocating anything.
import { checkPositiveInt, fail, formatShape } from "../shape.js";
import { show } from "../quote.js";
import type { ConvParam } from "./simple-conv-net.js";

/** The book's conv_param_1 … conv_param_6. */
export const DEEP_CONV_DEFAULTS: readonly Readonly<ConvParam>[] = Object.freeze([
  { filterNum: 16, filterSize: 3, pad: 1, stride: 1 },
  { filterNum: 16, filterSize: 3, pad: 1, stride: 1 },
  { filterNum: 32, filterSize: 3, pad: 1, stride: 1 },
  { filterNum: 32, filterSize: 3, pad: 2, stride: 1 },
  { filterNum: 64, filterSize: 3, pad: 1, stride: 1 },
  { filterNum: 64, filterSize: 3, pad: 1, stride: 1 },
].map((c) => Object.freeze(c)));

/** Where the parameter layers sit in `layers`: the book's (0, 2, 5, 7, 10, 12, 15, 18). */
export const DEEP_CONV_PARAM_LAYERS: readonly number[] = Object.freeze([0, 2, 5, 7, 10, 12, 15, 18]);

/**
 * The parameter shapes of a DeepConvNet, and each weight's fan-in (the book's pre_node_nums).
 * Checks the geometry: every conv output a whole number ≥ 1, every pooled size even. W7's rows
 * are what the last pool really outputs (the book writes 64*4*4, true for its defaults only).
 */
export function deepConvGeometry(
  inputDim: readonly [number, number, number], convParams: readonly ConvParam[], hiddenSize: number, outputSize: number, where: string,
): { shapes: Record<string, number[]>; fanIn: number[] } {
  let [C, H, W] = inputDim;
  const shapes: Record<string, number[]> = {};
  const fanIn: number[] = [];
  convParams.forEach((cp, i) => {
    const name = `convParam${i + 1}`;
    const size = (n: number, axis: string): number => {
      const span = n + 2 * cp.pad - cp.filterSize;
      const out = span / cp.stride + 1;
      if (span < 0 || !Number.isInteger(out)) {
        fail(where, `${name}: conv output ${axis} (${n} + 2·${cp.pad} − ${cp.filterSize}) / ${cp.stride} + 1 = ${out} is not a positive integer (input ${formatShape([C, H, W])})`);
      }
      return out;
    };
    shapes[`W${i + 1}`] = [cp.filterNum, C, cp.filterSize, cp.filterSize];
    shapes[`b${i + 1}`] = [cp.filterNum];
    fanIn.push(C * cp.filterSize * cp.filterSize);
    [C, H, W] = [cp.filterNum, size(H, "height"), size(W, "width")];
    if (i % 2 === 1) {
      if (H % 2 !== 0 || W % 2 !== 0) fail(where, `after ${name} the feature map is ${H}×${W}; the 2×2 stride-2 pooling needs even sizes (inputDim ${formatShape(inputDim)})`);
      H /= 2;
      W /= 2;
    }
  });
  shapes.W7 = [C * H * W, hiddenSize];
  shapes.b7 = [hiddenSize];
  shapes.W8 = [hiddenSize, outputSize];
  shapes.b8 = [outputSize];
  fanIn.push(C * H * W, hiddenSize);
  return { shapes, fanIn };
}

export const DEEP_CONV_PARAM_NAMES = ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4", "W5", "b5", "W6", "b6", "W7", "b7", "W8", "b8"] as const;
export type DeepConvParamName = (typeof DEEP_CONV_PARAM_NAMES)[number];

export function checkConvParam(cp: ConvParam, name: string, where: string): void {
  if (typeof cp !== "object" || cp === null) fail(where, `${name} must be an object { filterNum, filterSize, pad, stride }, got ${show(cp)}`);
  checkPositiveInt(cp.filterNum, `${name}.filterNum`, where);
  checkPositiveInt(cp.filterSize, `${name}.filterSize`, where);
  checkPositiveInt(cp.stride, `${name}.stride`, where);
  if (!Number.isInteger(cp.pad) || cp.pad < 0) fail(where, `${name}.pad must be an integer ≥ 0, got ${show(cp.pad)}`);
}

