// Plain float64 versions of common/optimizer.py, line for line: the oracle the wasm update
// kernels (assembly/optimizers.ts) are tested against. One call of the stateful ones = one
// `update(params, grads)` of the book; SGD is stateless, so it is the flat update itself.
export type Arrays = Record<string, Float64Array>;

const EPS = 1e-7;

/** SGD (§6.1.2): p ← p - lr · g over a flat parameter array. */
export function sgdUpdate(p: Float64Array | Float32Array, g: ArrayLike<number>, lr: number, n: number): void {
  for (let i = 0; i < n; i++) p[i] -= lr * g[i];
}

function zerosLike(params: Arrays): Arrays {
  const out: Arrays = {};
  for (const k of Object.keys(params)) out[k] = new Float64Array(params[k].length);
  return out;
}

export function referenceMomentum(lr: number, momentum: number) {
  let v: Arrays | null = null;
  return (params: Arrays, grads: Arrays): void => {
    v ??= zerosLike(params);
    for (const k of Object.keys(params)) {
      const p = params[k], g = grads[k], vk = v[k];
      for (let i = 0; i < p.length; i++) {
        vk[i] = momentum * vk[i] - lr * g[i];
        p[i] += vk[i];
      }
    }
  };
}

export function referenceNesterov(lr: number, momentum: number) {
  let v: Arrays | null = null;
  return (params: Arrays, grads: Arrays): void => {
    v ??= zerosLike(params);
    for (const k of Object.keys(params)) {
      const p = params[k], g = grads[k], vk = v[k];
      for (let i = 0; i < p.length; i++) {
        vk[i] *= momentum;
        vk[i] -= lr * g[i];
        p[i] += momentum * momentum * vk[i];
        p[i] -= (1 + momentum) * lr * g[i];
      }
    }
  };
}

export function referenceAdaGrad(lr: number) {
  let h: Arrays | null = null;
  return (params: Arrays, grads: Arrays): void => {
    h ??= zerosLike(params);
    for (const k of Object.keys(params)) {
      const p = params[k], g = grads[k], hk = h[k];
      for (let i = 0; i < p.length; i++) {
        hk[i] += g[i] * g[i];
        p[i] -= lr * g[i] / (Math.sqrt(hk[i]) + EPS);
      }
    }
  };
}

export function referenceRMSprop(lr: number, decayRate: number) {
  let h: Arrays | null = null;
  return (params: Arrays, grads: Arrays): void => {
    h ??= zerosLike(params);
    for (const k of Object.keys(params)) {
      const p = params[k], g = grads[k], hk = h[k];
      for (let i = 0; i < p.length; i++) {
        hk[i] *= decayRate;
        hk[i] += (1 - decayRate) * g[i] * g[i];
        p[i] -= lr * g[i] / (Math.sqrt(hk[i]) + EPS);
      }
    }
  };
}

export function referenceAdam(lr: number, beta1: number, beta2: number) {
  let m: Arrays | null = null, v: Arrays | null = null;
  let iter = 0;
  return (params: Arrays, grads: Arrays): void => {
    m ??= zerosLike(params);
    v ??= zerosLike(params);
    iter += 1;
    const lrT = lr * Math.sqrt(1.0 - beta2 ** iter) / (1.0 - beta1 ** iter);
    for (const k of Object.keys(params)) {
      const p = params[k], g = grads[k], mk = m[k], vk = v[k];
      for (let i = 0; i < p.length; i++) {
        mk[i] += (1 - beta1) * (g[i] - mk[i]);
        vk[i] += (1 - beta2) * (g[i] ** 2 - vk[i]);
        p[i] -= lrT * mk[i] / (Math.sqrt(vk[i]) + EPS);
      }
    }
  };
}
