"""The book's ch07/train_convnet.py recipe with the numpy code of simple_convnet.py: 3 epochs of
Fashion-MNIST (1800 iterations, batch 100 drawn with np.random.choice), Adam lr 0.001, float32;
prints the test accuracy. Used to measure the recipe's seed-to-seed spread (README, chapter 7 section).

  OPENBLAS_NUM_THREADS=1 python3 bench/numpy/train_convnet.py SEED [DATA_DIR]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import read_idx  # noqa: E402
from simple_convnet import SimpleConvNet, Adam  # noqa: E402


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    d = sys.argv[2] if len(sys.argv) > 2 else '/usr/share/datasets/fashion-mnist'
    x_train = read_idx(os.path.join(d, 'train-images-idx3-ubyte.gz'), 16).reshape(-1, 1, 28, 28)
    t_train = read_idx(os.path.join(d, 'train-labels-idx1-ubyte.gz'), 8).astype(np.int64)
    x_test = read_idx(os.path.join(d, 't10k-images-idx3-ubyte.gz'), 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    t_test = read_idx(os.path.join(d, 't10k-labels-idx1-ubyte.gz'), 8)
    np.random.seed(seed)
    net = SimpleConvNet(dtype=np.float32, seed=seed)
    optimizer = Adam(lr=0.001)
    for _ in range(1800):
        mask = np.random.choice(x_train.shape[0], 100)
        optimizer.update(net.params, net.gradient(x_train[mask].astype(np.float32) / 255, t_train[mask]))
    correct = sum(int(np.sum(np.argmax(net.predict(x_test[i:i + 100]), axis=1) == t_test[i:i + 100])) for i in range(0, 10000, 100))
    print(f'numpy float32 seed {seed}: test accuracy {correct / 10000:.4f}', flush=True)


if __name__ == '__main__':
    main()
