// Plain float64 BatchNormalization (the book's common/layers.py, 2-D input), line for line:
// the oracle for assembly/batchnorm.ts. x, out, dout, dx are [N×D] row-major.
const EPS = 10e-7;

export interface ReferenceBatchNormState {
  runningMean: Float64Array;
  runningVar: Float64Array;
  xc: Float64Array;
  xn: Float64Array;
  std: Float64Array;
}

export function batchNormForwardTrain(
  x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, s: ReferenceBatchNormState, momentum: number, N: number, D: number,
): Float64Array {
  const mu = new Float64Array(D), variance = new Float64Array(D), out = new Float64Array(N * D);
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) mu[j] += x[i * D + j];
  for (let j = 0; j < D; j++) mu[j] /= N;
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) {
    s.xc[i * D + j] = x[i * D + j] - mu[j];
    variance[j] += s.xc[i * D + j] ** 2;
  }
  for (let j = 0; j < D; j++) {
    variance[j] /= N;
    s.std[j] = Math.sqrt(variance[j] + EPS);
    s.runningMean[j] = momentum * s.runningMean[j] + (1 - momentum) * mu[j];
    s.runningVar[j] = momentum * s.runningVar[j] + (1 - momentum) * variance[j];
  }
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) {
    s.xn[i * D + j] = s.xc[i * D + j] / s.std[j];
    out[i * D + j] = gamma[j] * s.xn[i * D + j] + beta[j];
  }
  return out;
}

export function batchNormForwardTest(
  x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, runningMean: ArrayLike<number>, runningVar: ArrayLike<number>, N: number, D: number,
): Float64Array {
  const out = new Float64Array(N * D);
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) {
    const xn = (x[i * D + j] - runningMean[j]) / Math.sqrt(runningVar[j] + EPS);
    out[i * D + j] = gamma[j] * xn + beta[j];
  }
  return out;
}

export function batchNormBackward(
  dout: ArrayLike<number>, gamma: ArrayLike<number>, s: ReferenceBatchNormState, N: number, D: number,
): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const dbeta = new Float64Array(D), dgamma = new Float64Array(D), dstd = new Float64Array(D), dmu = new Float64Array(D);
  const dxc = new Float64Array(N * D), dx = new Float64Array(N * D);
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) {
    const k = i * D + j;
    dbeta[j] += dout[k];
    dgamma[j] += s.xn[k] * dout[k];
    const dxn = gamma[j] * dout[k];
    dxc[k] = dxn / s.std[j];
    dstd[j] -= (dxn * s.xc[k]) / (s.std[j] * s.std[j]);
  }
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) {
    const k = i * D + j;
    const dvar = 0.5 * dstd[j] / s.std[j];
    dxc[k] += (2.0 / N) * s.xc[k] * dvar;
    dmu[j] += dxc[k];
  }
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) dx[i * D + j] = dxc[i * D + j] - dmu[j] / N;
  return { dx, dgamma, dbeta };
}
