// The walk through a net's ordered layers, forward and backward, as the book's predict and
// gradient do it — with two pairs of layers run as one pass each, since the values are the same
// bit for bit and the passes they save are over the largest activations of a conv net:
//
//   Convolution → Relu   forward: conv.forwardRelu(x) applies the ReLU as each output is stored;
//                        the Relu layer adopts that output (relu.takeOutput), as if its own
//                        forward had made it, so its backward still works.
//   Relu → Pooling       backward: pool.backwardRelu(dout) is relu.backward(pool.backward(dout)):
//                        only window maxima receive a gradient, and the ReLU's test of a maximum
//                        is the maximum's own sign.
//
// For SimpleConvNet that removes both passes of Relu1 over its 100×30×24×24 activations, which
// took ~8 % of a 2-thread training step: the step takes ~0.95× the time (docs/performance.md).
// DeepConvNet has six Conv → Relu pairs and three Relu → Pooling pairs. Every layer still holds
// what its own forward would have left, so walking `net.layers` by hand gives the same bits
// (test/unit/nets/layer-walk.test.ts).
import { Convolution } from "../layers/convolution.js";
import { Pooling } from "../layers/pooling.js";
import { Relu } from "../layers/relu.js";
import type { Layer } from "../layers/layer.js";
import type { Tensor } from "../tensor.js";

/** Every layer in order; the result is the last layer's output, reused by its next call. */
export function forwardLayers(order: readonly Layer[], x: Tensor, trainFlg: boolean): Tensor {
  let out = x;
  for (let i = 0; i < order.length; i++) {
    const layer = order[i], next = order[i + 1];
    if (layer instanceof Convolution && next instanceof Relu) {
      out = next.takeOutput(layer.forwardRelu(out));
      i++; // the Relu's forward is done
    } else {
      out = layer.forward(out, trainFlg);
    }
  }
  return out;
}

/**
 * Backward from `dout` (the loss layer's dx) through every layer but the first, which only
 * computes its parameters' gradients when it can (`backwardParams`): nobody consumes its dx.
 */
export function backwardLayers(order: readonly Layer[], dout: Tensor): void {
  let d = dout;
  for (let i = order.length - 1; i > 0; i--) {
    const layer = order[i], before = order[i - 1];
    // the pair only if the pool's last input was this Relu's output (a hand-made walk may differ)
    if (layer instanceof Pooling && before instanceof Relu && before.out !== null && layer.x === before.out) {
      d = layer.backwardRelu(d);
      i--; // the Relu's backward is done
      if (i === 0) return; // a net that starts with Relu → Pooling: nothing before them
    } else {
      d = layer.backward(d);
    }
  }
  const first = order[0];
  if (first.backwardParams) first.backwardParams(d);
  else first.backward(d);
}
