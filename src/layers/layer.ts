// What a layer in a net's ordered `layers` looks like (Affine, Relu, Sigmoid …).
import type { Tensor } from "../tensor.js";
import { sameShape } from "../shape.js";

export interface Layer {
  forward(x: Tensor): Tensor;
  backward(dout: Tensor): Tensor;
}

/** Checks shared by the activation layers: same dtype and shape as what forward saw. */
export function checkBackwardInput(where: string, dout: Tensor, saved: Tensor | null): Tensor {
  if (saved === null) throw new Error(`${where}: call forward before backward`);
  if (dout.dtype !== saved.dtype) throw new Error(`${where}: dout is ${dout.dtype} but forward ran in ${saved.dtype}`);
  if (dout.size !== saved.size || !sameShape(dout.shape, saved.shape)) { // sameShape: no closure per call
    throw new Error(`${where}: dout has shape [${dout.shape.join(", ")}] but forward produced [${saved.shape.join(", ")}]`);
  }
  return saved;
}
