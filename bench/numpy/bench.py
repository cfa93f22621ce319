"""numpy peer for scratchnet's bench: the book's TwoLayerNet step, the 70 000-row accuracy pass
and the book's whole train_neuralnet.py run, on real Fashion-MNIST. Prints one JSON object on
stdout (everything else goes to stderr). Run by bench/run.mjs, one subprocess per
(dtype, BLAS thread count), with OPENBLAS_NUM_THREADS/OMP_NUM_THREADS set by the caller.

  python3 bench/numpy/bench.py --mode step|eval|full --dtype float64|float32
      [--data DIR] [--init FILE] [--time SECONDS] [--min-iters N] [--iters 10000]
"""
import argparse
import gzip
import json
import os
import resource
import sys
import time

_start = time.perf_counter()  # whole-process wall time for --mode full starts here

import numpy as np  # noqa: E402  (imported after the clock on purpose: the book's run pays for it)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from two_layer_net import TwoLayerNet  # noqa: E402
from blas_info import blas_info  # noqa: E402

INPUT, HIDDEN, OUTPUT = 784, 50, 10
BATCH, LR, STEP_BATCHES = 100, 0.1, 20


def read_idx(path, header):
    with gzip.open(path, 'rb') as f:
        return np.frombuffer(f.read(), np.uint8, offset=header)


def load_fashion(data_dir):
    """The book's load_mnist(normalize=True, one_hot_label=True): float32 images in [0, 1]."""
    def images(name):
        return (read_idx(os.path.join(data_dir, name), 16).reshape(-1, INPUT).astype(np.float32)) / 255.0

    def labels(name):
        return read_idx(os.path.join(data_dir, name), 8)

    x_train, x_test = images('train-images-idx3-ubyte.gz'), images('t10k-images-idx3-ubyte.gz')
    l_train, l_test = labels('train-labels-idx1-ubyte.gz'), labels('t10k-labels-idx1-ubyte.gz')
    eye = np.eye(OUTPUT, dtype=np.float32)
    return x_train, eye[l_train], x_test, eye[l_test]


def load_init(path):
    """Starting weights written by bench/run.mjs (float64, W1 then b1, W2, b2)."""
    if not path:
        return None
    flat = np.fromfile(path, dtype='<f8')
    sizes = [('W1', (INPUT, HIDDEN)), ('b1', (HIDDEN,)), ('W2', (HIDDEN, OUTPUT)), ('b2', (OUTPUT,))]
    out, at = {}, 0
    for name, shape in sizes:
        n = int(np.prod(shape))
        out[name] = flat[at:at + n].reshape(shape)
        at += n
    if at != flat.size:
        raise SystemExit(f'{path}: {flat.size} float64 values, expected {at}')
    return out


def batch_rows(b, train_count):
    """Same formula as bench/common/data.mjs batchRow: the same images as the JS implementations."""
    r = np.arange(BATCH)
    return ((b * BATCH + r) * 7919) % train_count


def stats(samples_ms):
    a = np.asarray(samples_ms)
    mean = float(a.mean())
    sd = float(a.std(ddof=1)) if a.size > 1 else 0.0
    return {'meanMs': mean, 'medianMs': float(np.median(a)), 'minMs': float(a.min()),
            'rme': (1.96 * sd / np.sqrt(a.size) / mean * 100) if a.size > 1 and mean > 0 else 0.0,
            'samples': int(a.size)}


def timed(fn, budget_s, min_iters, warmup):
    for _ in range(warmup):
        fn()
    samples = []
    t_end = time.perf_counter() + budget_s
    while len(samples) < min_iters or time.perf_counter() < t_end:
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def sgd_step(net, x, t):
    """The book's loop body: grad = network.gradient(...); params -= lr * grad."""
    grad = net.gradient(x, t)
    for key in ('W1', 'b1', 'W2', 'b2'):
        net.params[key] -= LR * grad[key]


def mode_step(args, dtype):
    x_train, t_train, _, _ = load_fashion(args.data)
    net = TwoLayerNet(INPUT, HIDDEN, OUTPUT, dtype=dtype, init=load_init(args.init))
    batches = [(x_train[batch_rows(b, len(x_train))], t_train[batch_rows(b, len(x_train))]) for b in range(STEP_BATCHES)]
    i = [0]

    def step():
        x, t = batches[i[0] % STEP_BATCHES]
        i[0] += 1
        sgd_step(net, x, t)

    samples = timed(step, args.time, args.min_iters, warmup=50)
    return {'stats': stats(samples), 'loss': float(net.loss(*batches[0]))}


def mode_eval(args, dtype):
    x_train, t_train, x_test, t_test = load_fashion(args.data)
    net = TwoLayerNet(INPUT, HIDDEN, OUTPUT, dtype=dtype, init=load_init(args.init))
    result = {}

    def accuracy_pass():  # the book's per-epoch pair: network.accuracy(x_train, …), (x_test, …)
        result['trainAcc'] = float(net.accuracy(x_train, t_train))
        result['testAcc'] = float(net.accuracy(x_test, t_test))

    samples = timed(accuracy_pass, args.time, args.min_iters, warmup=1)
    return {'stats': stats(samples), **result}


def mode_full(args, dtype):
    """The book's ch05/train_neuralnet.py, unchanged in substance, timed as a whole process."""
    x_train, t_train, x_test, t_test = load_fashion(args.data)
    rng = np.random.default_rng(0)
    network = TwoLayerNet(INPUT, HIDDEN, OUTPUT, dtype=dtype, rng=rng)
    # the data is float32 already (the book's load_mnist); float64 params upcast in np.dot, as in the book
    iters_num, train_size, batch_size, learning_rate = args.iters, x_train.shape[0], BATCH, LR
    train_loss_list, train_acc_list, test_acc_list = [], [], []
    iter_per_epoch = max(train_size / batch_size, 1)
    for i in range(iters_num):
        batch_mask = rng.choice(train_size, batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in ('W1', 'b1', 'W2', 'b2'):
            network.params[key] -= learning_rate * grad[key]
        train_loss_list.append(network.loss(x_batch, t_batch))
        if i % iter_per_epoch == 0:
            train_acc_list.append(float(network.accuracy(x_train, t_train)))
            test_acc_list.append(float(network.accuracy(x_test, t_test)))
            print(f'train acc, test acc | {train_acc_list[-1]}, {test_acc_list[-1]}', file=sys.stderr)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        'wallMs': (time.perf_counter() - _start) * 1000,
        'peakRssMB': usage.ru_maxrss / 1024,  # Linux reports KiB
        'evaluations': len(test_acc_list),
        'finalTrainAcc': train_acc_list[-1], 'finalTestAcc': test_acc_list[-1],
        'finalLoss': float(train_loss_list[-1]),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--mode', choices=['step', 'eval', 'full'], required=True)
    p.add_argument('--dtype', choices=['float64', 'float32'], default='float64')
    p.add_argument('--data', default=os.environ.get('SCRATCHNET_FASHION_DIR', '/usr/share/datasets/fashion-mnist'))
    p.add_argument('--init', default=None, help='float64 file of starting weights (W1, b1, W2, b2)')
    p.add_argument('--time', type=float, default=1.0, help='seconds of timed iterations (after warm-up)')
    p.add_argument('--min-iters', type=int, default=10)
    p.add_argument('--iters', type=int, default=10000, help='--mode full: training iterations')
    args = p.parse_args()
    dtype = np.float32 if args.dtype == 'float32' else np.float64
    run = {'step': mode_step, 'eval': mode_eval, 'full': mode_full}[args.mode]
    out = run(args, dtype)
    out.update({'mode': args.mode, 'dtype': args.dtype, 'numpy': np.__version__,
                'python': sys.version.split()[0], 'blas': blas_info()})
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
