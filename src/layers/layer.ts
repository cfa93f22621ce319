// What a layer in a net's ordered `layers` looks like (Affine, Relu, Sigmoid …).
import { checkTensor, type Tensor } from "../tensor.js";
import { fail, formatShape, sameShape } from "../shape.js";

export interface Layer {
  forward(x: Tensor): Tensor;
  backward(dout: Tensor): Tensor;
}

/** Checks shared by the activation layers: same dtype and shape as what forward saw. */
export function checkBackwardInput(where: string, dout: Tensor, saved: Tensor | null): Tensor {
  if (saved === null) fail(where, "call forward before backward");
  checkTensor(dout, "dout", where);
  if (dout.dtype !== saved.dtype) fail(where, `dout is ${dout.dtype} but forward ran in ${saved.dtype}`);
  if (dout.size !== saved.size || !sameShape(dout.shape, saved.shape)) { // sameShape: no closure per call
    fail(where, `dout has shape ${formatShape(dout.shape)} but forward produced ${formatShape(saved.shape)}`);
  }
  return saved;
}
