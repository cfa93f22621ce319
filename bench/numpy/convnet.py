"""numpy peer for bench/convnet.mjs: one training iteration (gradient + Adam) of the book's ch07
SimpleConvNet (--net simple, default) or ch08 DeepConvNet (--net deep) on real Fashion-MNIST
batches, batch 100. Prints one JSON object on stdout.

  python3 bench/numpy/convnet.py [--net simple|deep] --dtype float64|float32 [--data DIR] [--time SECONDS] [--min-iters N]
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import read_idx, batch_rows, stats, timed  # noqa: E402  (the TwoLayerNet bench's helpers)
from blas_info import blas_info  # noqa: E402
from simple_convnet import SimpleConvNet, Adam  # noqa: E402
from deep_convnet import DeepConvNet  # noqa: E402

STEP_BATCHES = 20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--net', choices=['simple', 'deep'], default='simple')
    ap.add_argument('--dtype', choices=['float64', 'float32'], default='float64')
    ap.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    ap.add_argument('--time', type=float, default=2.0)
    ap.add_argument('--min-iters', type=int, default=20)
    args = ap.parse_args()
    dtype = np.dtype(args.dtype)

    images = read_idx(os.path.join(args.data, 'train-images-idx3-ubyte.gz'), 16).reshape(-1, 1, 28, 28)
    labels = read_idx(os.path.join(args.data, 'train-labels-idx1-ubyte.gz'), 8)
    batches = []
    for b in range(STEP_BATCHES):
        rows = batch_rows(b, images.shape[0])
        batches.append(((images[rows].astype(dtype) / dtype.type(255)), labels[rows].astype(np.int64)))

    net = (DeepConvNet if args.net == 'deep' else SimpleConvNet)(dtype=dtype, seed=0)
    optimizer = Adam(lr=0.001)
    state = {'next': 0}

    def step():
        x, t = batches[state['next'] % STEP_BATCHES]
        state['next'] += 1
        optimizer.update(net.params, net.gradient(x, t))

    samples = timed(step, args.time, args.min_iters, warmup=3)
    x0, t0 = batches[0]
    out = {'mode': 'convnet-step', 'net': args.net, 'dtype': args.dtype, 'numpy': np.__version__, 'blas': blas_info(),
           'lossAfter': float(net.loss(x0, t0)), 'paramDtype': str(net.params['W1'].dtype), **stats(samples)}
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
