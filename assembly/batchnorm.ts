// Batch Normalization kernels (§6.3), over an [N×D] batch (each of the D columns is one
// feature, as in the book's layers/BatchNormalization with 2-D input). Every kernel walks the
// batch row by row and vectorises across columns, so each column's sums are accumulated in
// row order (as numpy's axis-0 reductions do) and SIMD does not change the bits.
// Outputs first, then inputs, then sizes. Everything is overwritten, nothing accumulates.
import { LANES, BYTES } from "./lanes";

// The book's 10e-7 added to the variance before the square root.
const BN_EPS: f64 = 10e-7;

/** dst[j] = 0 for j < n. */
// @ts-ignore: decorator
@inline function zero<T>(dst: usize, n: i32): void {
  memory.fill(dst, 0, <usize>n * BYTES<T>());
}

/** acc[j] += row[j] (one row of a column reduction). */
// @ts-ignore: decorator
@inline function addRow<T>(acc: usize, row: usize, D: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  let j = 0;
  for (; j + L <= D; j += L) {
    const o = <usize>j * S;
    v128.store(acc + o, v128.add<T>(v128.load(acc + o), v128.load(row + o)));
  }
  for (; j < D; j++) {
    const o = <usize>j * S;
    store<T>(acc + o, load<T>(acc + o) + load<T>(row + o));
  }
}

/**
 * Training-mode forward, the book's __forward(train_flg=True):
 *   mu = mean(x, 0); xc = x - mu; var = mean(xc², 0); std = sqrt(var + 10e-7); xn = xc / std;
 *   out = gamma·xn + beta; runMean = momentum·runMean + (1-momentum)·mu (same for runVar).
 * out, xc, xn: [N×D]; mu, variance, std, runMean, runVar, gamma, beta: [D]; x: [N×D].
 */
export function batchNormForwardTrain<T>(
  out: usize, xc: usize, xn: usize, mu: usize, variance: usize, std: usize, runMean: usize, runVar: usize,
  x: usize, gamma: usize, beta: usize, momentum: f64, N: i32, D: i32,
): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const row = <usize>D * S;
  const count = <T>N;
  zero<T>(mu, D);
  for (let i = 0; i < N; i++) addRow<T>(mu, x + <usize>i * row, D);
  for (let j = 0; j < D; j++) store<T>(mu + <usize>j * S, load<T>(mu + <usize>j * S) / count);

  // xc = x - mu, and Σ xc² per column
  zero<T>(variance, D);
  for (let i = 0; i < N; i++) {
    const xr = x + <usize>i * row, cr = xc + <usize>i * row;
    let j = 0;
    for (; j + L <= D; j += L) {
      const o = <usize>j * S;
      const c = v128.sub<T>(v128.load(xr + o), v128.load(mu + o));
      v128.store(cr + o, c);
      v128.store(variance + o, v128.add<T>(v128.load(variance + o), v128.mul<T>(c, c)));
    }
    for (; j < D; j++) {
      const o = <usize>j * S;
      const c: T = load<T>(xr + o) - load<T>(mu + o);
      store<T>(cr + o, c);
      store<T>(variance + o, load<T>(variance + o) + c * c);
    }
  }
  const eps = <T>BN_EPS, mom = <T>momentum, rest = <T>(1 - momentum);
  for (let j = 0; j < D; j++) {
    const o = <usize>j * S;
    const v: T = load<T>(variance + o) / count;
    store<T>(variance + o, v);
    store<T>(std + o, <T>sqrt<T>(v + eps));
    store<T>(runMean + o, mom * load<T>(runMean + o) + rest * load<T>(mu + o));
    store<T>(runVar + o, mom * load<T>(runVar + o) + rest * v);
  }

  // xn = xc / std; out = gamma·xn + beta
  for (let i = 0; i < N; i++) {
    const cr = xc + <usize>i * row, nr = xn + <usize>i * row, orow = out + <usize>i * row;
    let j = 0;
    for (; j + L <= D; j += L) {
      const o = <usize>j * S;
      const n = v128.div<T>(v128.load(cr + o), v128.load(std + o));
      v128.store(nr + o, n);
      v128.store(orow + o, v128.add<T>(v128.mul<T>(v128.load(gamma + o), n), v128.load(beta + o)));
    }
    for (; j < D; j++) {
      const o = <usize>j * S;
      const n: T = load<T>(cr + o) / load<T>(std + o);
      store<T>(nr + o, n);
      store<T>(orow + o, load<T>(gamma + o) * n + load<T>(beta + o));
    }
  }
}

/**
 * Test-mode forward with the running statistics:
 *   out = gamma·((x - runMean) / sqrt(runVar + 10e-7)) + beta.
 * out, x: [N×D]; runStd (scratch, [D]) receives sqrt(runVar + 10e-7).
 */
export function batchNormForwardTest<T>(
  out: usize, runStd: usize, x: usize, gamma: usize, beta: usize, runMean: usize, runVar: usize, N: i32, D: i32,
): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const row = <usize>D * S;
  const eps = <T>BN_EPS;
  for (let j = 0; j < D; j++) store<T>(runStd + <usize>j * S, <T>sqrt<T>(load<T>(runVar + <usize>j * S) + eps));
  for (let i = 0; i < N; i++) {
    const xr = x + <usize>i * row, orow = out + <usize>i * row;
    let j = 0;
    for (; j + L <= D; j += L) {
      const o = <usize>j * S;
      const n = v128.div<T>(v128.sub<T>(v128.load(xr + o), v128.load(runMean + o)), v128.load(runStd + o));
      v128.store(orow + o, v128.add<T>(v128.mul<T>(v128.load(gamma + o), n), v128.load(beta + o)));
    }
    for (; j < D; j++) {
      const o = <usize>j * S;
      const n: T = (load<T>(xr + o) - load<T>(runMean + o)) / load<T>(runStd + o);
      store<T>(orow + o, load<T>(gamma + o) * n + load<T>(beta + o));
    }
  }
}

/**
 * The book's __backward, step for step:
 *   dbeta = Σ dout; dgamma = Σ xn·dout; dxn = gamma·dout; dxc = dxn / std;
 *   dstd = -Σ (dxn·xc) / (std·std); dvar = 0.5·dstd / std; dxc += (2/N)·xc·dvar;
 *   dmu = Σ dxc; dx = dxc - dmu / N.
 * dx, dout, xn, xc: [N×D]; dgamma, dbeta, gamma, std: [D]; scratch: [2·D] (dvar, dmu).
 */
export function batchNormBackward<T>(
  dx: usize, dgamma: usize, dbeta: usize, scratch: usize,
  dout: usize, xn: usize, xc: usize, std: usize, gamma: usize, N: i32, D: i32,
): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const row = <usize>D * S;
  const dvar = scratch, dmu = scratch + <usize>D * S;
  zero<T>(dbeta, D);
  zero<T>(dgamma, D);
  zero<T>(dvar, D); // first Σ (dxn·xc)/(std·std), then dvar
  for (let i = 0; i < N; i++) {
    const dr = dout + <usize>i * row, nr = xn + <usize>i * row, cr = xc + <usize>i * row;
    let j = 0;
    for (; j + L <= D; j += L) {
      const o = <usize>j * S;
      const d = v128.load(dr + o);
      const s = v128.load(std + o);
      v128.store(dbeta + o, v128.add<T>(v128.load(dbeta + o), d));
      v128.store(dgamma + o, v128.add<T>(v128.load(dgamma + o), v128.mul<T>(v128.load(nr + o), d)));
      const dxn = v128.mul<T>(v128.load(gamma + o), d);
      const q = v128.div<T>(v128.mul<T>(dxn, v128.load(cr + o)), v128.mul<T>(s, s));
      v128.store(dvar + o, v128.add<T>(v128.load(dvar + o), q));
    }
    for (; j < D; j++) {
      const o = <usize>j * S;
      const d = load<T>(dr + o);
      const s = load<T>(std + o);
      store<T>(dbeta + o, load<T>(dbeta + o) + d);
      store<T>(dgamma + o, load<T>(dgamma + o) + load<T>(nr + o) * d);
      const dxn: T = load<T>(gamma + o) * d;
      store<T>(dvar + o, load<T>(dvar + o) + (dxn * load<T>(cr + o)) / (s * s));
    }
  }
  const half = <T>0.5;
  for (let j = 0; j < D; j++) {
    const o = <usize>j * S;
    const dstd: T = -load<T>(dvar + o);
    store<T>(dvar + o, half * dstd / load<T>(std + o));
  }

  // dxc = dxn / std + (2/N)·xc·dvar, written into dx; dmu = Σ dxc
  const twoOverN = <T>(2.0 / <f64>N);
  const vk = v128.splat<T>(twoOverN);
  zero<T>(dmu, D);
  for (let i = 0; i < N; i++) {
    const dr = dout + <usize>i * row, cr = xc + <usize>i * row, xr = dx + <usize>i * row;
    let j = 0;
    for (; j + L <= D; j += L) {
      const o = <usize>j * S;
      const dxn = v128.mul<T>(v128.load(gamma + o), v128.load(dr + o));
      const dxc = v128.add<T>(
        v128.div<T>(dxn, v128.load(std + o)),
        v128.mul<T>(v128.mul<T>(vk, v128.load(cr + o)), v128.load(dvar + o)),
      );
      v128.store(xr + o, dxc);
      v128.store(dmu + o, v128.add<T>(v128.load(dmu + o), dxc));
    }
    for (; j < D; j++) {
      const o = <usize>j * S;
      const dxn: T = load<T>(gamma + o) * load<T>(dr + o);
      const dxc: T = dxn / load<T>(std + o) + twoOverN * load<T>(cr + o) * load<T>(dvar + o);
      store<T>(xr + o, dxc);
      store<T>(dmu + o, load<T>(dmu + o) + dxc);
    }
  }
  // dx = dxc - dmu / N
  for (let j = 0; j < D; j++) store<T>(dmu + <usize>j * S, load<T>(dmu + <usize>j * S) / <T>N);
  for (let i = 0; i < N; i++) {
    const xr = dx + <usize>i * row;
    let j = 0;
    for (; j + L <= D; j += L) {
      const o = <usize>j * S;
      v128.store(xr + o, v128.sub<T>(v128.load(xr + o), v128.load(dmu + o)));
    }
    for (; j < D; j++) {
      const o = <usize>j * S;
      store<T>(xr + o, load<T>(xr + o) - load<T>(dmu + o));
    }
  }
}
