// The book's 38 scripts (ch03–ch08 of oreilly-japan/deep-learning-from-scratch) and their
// scratchnet counterparts, in the book's order. `npm run book` (examples/book.mjs) runs every
// example listed here in quick mode; test/e2e/book-examples.test.ts runs them and checks their
// numbers and figures; docs/book-scripts.md is the same table for readers.
//
// Each entry has the script, written exactly as chNN/name.py, and one of:
//   example  — examples/<example>.mjs reproduces it; `quick` are its arguments in quick mode
//              (default ["--quick"]; "{out}" becomes the figure directory), `needs` an example
//              whose output it reads in quick mode (run first);
//   module   — the script only defines a class: the scratchnet class that is its counterpart;
//   placeholder — the script is empty in the book.
// `pending` marks a counterpart that does not exist yet, with what it waits for; the tests check
// that a pending example is really missing, so landing one means deleting its `pending`.
export const BOOK_SCRIPTS = [
  { script: "ch03/mnist_show.py", example: "ch03-mnist-show" },
  { script: "ch03/neuralnet_mnist.py", example: "ch03-neuralnet-mnist" },
  { script: "ch03/neuralnet_mnist_batch.py", example: "ch03-neuralnet-mnist-batch" },
  { script: "ch03/relu.py", example: "ch03-relu" },
  { script: "ch03/sig_step_compare.py", example: "ch03-sig-step-compare" },
  { script: "ch03/sigmoid.py", example: "ch03-sigmoid" },
  { script: "ch03/step_function.py", example: "ch03-step-function" },

  { script: "ch04/gradient_1d.py", example: "ch04-gradient-1d" },
  { script: "ch04/gradient_2d.py", example: "ch04-gradient-2d" },
  { script: "ch04/gradient_method.py", example: "ch04-gradient-method" },
  { script: "ch04/gradient_simplenet.py", example: "ch04-gradient-simplenet" },
  { script: "ch04/train_neuralnet.py", example: "ch04-train-neuralnet" },
  { script: "ch04/two_layer_net.py", module: "TwoLayerNet({ activation: \"sigmoid\" })" },

  { script: "ch05/buy_apple.py", example: "ch05-buy-apple" },
  { script: "ch05/buy_apple_orange.py", example: "ch05-buy-apple-orange" },
  { script: "ch05/gradient_check.py", example: "ch05-gradient-check" },
  { script: "ch05/layer_naive.py", module: "MulLayer, AddLayer" },
  { script: "ch05/train_neuralnet.py", example: "ch05-train-neuralnet" },
  { script: "ch05/two_layer_net.py", module: "TwoLayerNet" },

  { script: "ch06/batch_norm_gradient_check.py", example: "ch06-batch-norm-gradient-check" },
  { script: "ch06/batch_norm_test.py", example: "ch06-batch-norm-test" },
  { script: "ch06/hyperparameter_optimization.py", example: "ch06-hyperparameter-optimization" },
  { script: "ch06/optimizer_compare_mnist.py", example: "ch06-optimizer-compare-mnist" },
  { script: "ch06/optimizer_compare_naive.py", example: "ch06-optimizer-compare-naive" },
  { script: "ch06/overfit_dropout.py", example: "ch06-overfit-dropout" },
  { script: "ch06/overfit_weight_decay.py", example: "ch06-overfit-weight-decay" },
  { script: "ch06/weight_init_activation_histogram.py", example: "ch06-weight-init-activation-histogram" },
  { script: "ch06/weight_init_compare.py", example: "ch06-weight-init-compare" },

  // the book's params.pkl with $SCRATCHNET_BOOK_DIR; else (--fallback) the net ch07-train-convnet has
  // just trained, so the quick run trains once
  { script: "ch07/apply_filter.py", example: "ch07-apply-filter", quick: ["--quick", "--fallback", "{out}/params.pkl"], needs: "ch07-train-convnet" },
  { script: "ch07/gradient_check.py", example: "ch07-gradient-check" },
  { script: "ch07/simple_convnet.py", module: "SimpleConvNet" },
  { script: "ch07/train_convnet.py", example: "ch07-train-convnet" },
  { script: "ch07/visualize_filter.py", example: "ch07-visualize-filter", quick: ["--quick", "--fallback", "{out}/params.pkl"], needs: "ch07-train-convnet" },

  { script: "ch08/awesome_net.py", placeholder: true },
  { script: "ch08/deep_convnet.py", module: "DeepConvNet" },
  // the book's deep_convnet_params.pkl with $SCRATCHNET_BOOK_DIR; else (--fallback) the net
  // ch08-train-deepnet has just trained and saved, so the quick run trains a DeepConvNet once
  { script: "ch08/half_float_network.py", example: "ch08-half-float-network", quick: ["--quick", "--fallback", "{out}/deep_convnet_params.pkl"], needs: "ch08-train-deepnet" },
  { script: "ch08/misclassified_mnist.py", example: "ch08-misclassified-mnist", quick: ["--quick", "--fallback", "{out}/deep_convnet_params.pkl"], needs: "ch08-train-deepnet" },
  { script: "ch08/train_deepnet.py", example: "ch08-train-deepnet" },
];
