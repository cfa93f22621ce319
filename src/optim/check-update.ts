// The checks both update entry points share: every pair is checked before any parameter moves,
// so a bad key cannot leave a half-applied step, and a forged block never reaches a kernel.
import { isTensor, type Tensor } from "../tensor.js";
import { isParamBlock, type ParamBlock } from "../memory/param-block.js";
import { fail, formatShape, sameShape } from "../shape.js";
import { describeValue } from "../check.js";

/** The keys of `params`, each a Tensor matched by a gradient of the same shape and dtype. */
export function checkPairs(params: Record<string, Tensor>, grads: Record<string, Tensor>, where: string): string[] {
  if (typeof params !== "object" || params === null) fail(where, `params must be an object of Tensors (net.params), got ${describeValue(params)}`);
  if (typeof grads !== "object" || grads === null) fail(where, `grads must be an object of Tensors (net.gradient(x, t)), got ${describeValue(grads)}`);
  const keys = Object.keys(params);
  for (const key of keys) {
    const p = params[key], g = grads[key];
    if (!isTensor(p)) fail(where, `params.${key} is not a Tensor`);
    if (!isTensor(g)) fail(where, `no gradient for parameter '${key}'`);
    if (g.dtype !== p.dtype || !sameShape(g.shape, p.shape)) {
      fail(where, `gradient '${key}' ${formatShape(g.shape)} ${g.dtype} does not match parameter ${formatShape(p.shape)} ${p.dtype}`);
    }
  }
  return keys;
}

/** Two real ParamBlocks of one layout. */
export function checkBlocks(params: ParamBlock, grads: ParamBlock, where: string): void {
  if (!isParamBlock(params) || !isParamBlock(grads)) fail(where, "expected two ParamBlocks (net.paramBlock, net.gradBlock)");
  if (params.length !== grads.length || params.dtype !== grads.dtype) {
    fail(where, `parameter block (${params.length} ${params.dtype}) and gradient block (${grads.length} ${grads.dtype}) differ in layout`);
  }
}
