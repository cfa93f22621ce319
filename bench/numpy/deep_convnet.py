"""The book's DeepConvNet (ch08/deep_convnet.py), the numpy peer of bench/convnet.mjs's DeepConvNet
rows. Written from the book: its layer list — (Convolution, Relu, Convolution, Relu, Pooling) x 3 with
16-16-32-32-64-64 filters of 3x3 and pads 1-1-1-2-1-1, then Affine(1024 -> 50), Relu, Dropout(0.5),
Affine(50 -> 10), Dropout(0.5) — He initial weights from the book's pre_node_nums, loss in training
mode, backward through every layer. Convolution, Pooling and im2col are the book's (simple_convnet.py
here), Affine/Relu/SoftmaxWithLoss the book's (two_layer_net.py here), Dropout is common/layers.py's.
As in simple_convnet.py, arrays the book makes with np.zeros/np.random take the input's dtype."""
import numpy as np

from simple_convnet import Convolution, Pooling  # noqa: E402
from two_layer_net import Affine, Relu, SoftmaxWithLoss  # noqa: E402

CONV_PARAMS = [(16, 1), (16, 1), (32, 1), (32, 2), (64, 1), (64, 1)]  # (filter_num, pad); 3x3, stride 1
PARAM_LAYERS = (0, 2, 5, 7, 10, 12, 15, 18)  # where W1..W8 sit in the layer list, as the book's gradient()


class Dropout:
    """common/layers.py's Dropout, drawing its masks from the net's seeded generator."""

    def __init__(self, rng, dropout_ratio=0.5):
        self.rng, self.dropout_ratio, self.mask = rng, dropout_ratio, None

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = self.rng.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        return dout * self.mask


class DeepConvNet:
    def __init__(self, hidden_size=50, output_size=10, dtype=np.float64, seed=0):
        rng = np.random.RandomState(seed)
        pre_node_nums = np.array([1 * 3 * 3, 16 * 3 * 3, 16 * 3 * 3, 32 * 3 * 3, 32 * 3 * 3, 64 * 3 * 3, 64 * 4 * 4, hidden_size])
        scales = np.sqrt(2.0 / pre_node_nums)  # He, as the book
        self.params = {}
        pre_channels = 1
        for i, (filters, _) in enumerate(CONV_PARAMS):
            self.params['W%d' % (i + 1)] = (scales[i] * rng.randn(filters, pre_channels, 3, 3)).astype(dtype)
            self.params['b%d' % (i + 1)] = np.zeros(filters, dtype=dtype)
            pre_channels = filters
        self.params['W7'] = (scales[6] * rng.randn(64 * 4 * 4, hidden_size)).astype(dtype)
        self.params['b7'] = np.zeros(hidden_size, dtype=dtype)
        self.params['W8'] = (scales[7] * rng.randn(hidden_size, output_size)).astype(dtype)
        self.params['b8'] = np.zeros(output_size, dtype=dtype)

        p = self.params
        self.layers = []
        for i, (_, pad) in enumerate(CONV_PARAMS):
            self.layers += [Convolution(p['W%d' % (i + 1)], p['b%d' % (i + 1)], 1, pad), Relu()]
            if i % 2 == 1:
                self.layers.append(Pooling(pool_h=2, pool_w=2, stride=2))
        self.layers += [Affine(p['W7'], p['b7']), Relu(), Dropout(rng, 0.5), Affine(p['W8'], p['b8']), Dropout(rng, 0.5)]
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x, train_flg=False):
        for layer in self.layers:
            x = layer.forward(x, train_flg) if isinstance(layer, Dropout) else layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x, train_flg=True), t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        for i, at in enumerate(PARAM_LAYERS):
            grads['W%d' % (i + 1)] = self.layers[at].dW
            grads['b%d' % (i + 1)] = self.layers[at].db
        return grads
