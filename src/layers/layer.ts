// What a layer in a net's ordered `layers` looks like (Affine, Relu, Dropout, Convolution …).
import { checkTensor, type Tensor } from "../tensor.js";
import { fail, formatShape, sameShape } from "../shape.js";

export interface Layer {
  /**
   * `trainFlg` is the book's train_flg: true in training (Dropout draws masks, BatchNormalization
   * uses the batch's statistics), false at inference. Layers that behave the same either way
   * ignore it, so a net passes it to every layer alike.
   */
  forward(x: Tensor, trainFlg?: boolean): Tensor;
  backward(dout: Tensor): Tensor;
  /**
   * dW and db only, without dx (Affine, Convolution): what a net runs for its first layer,
   * whose dx nobody consumes — it skips the largest product of the step.
   */
  backwardParams?(dout: Tensor): void;
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
