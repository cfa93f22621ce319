// Optimizer update kernels (§6.1), one per book optimizer (SGD, Momentum, Nesterov, AdaGrad,
// RMSprop, Adam), each a single pass over `n` elements updating the parameters `p` and the
// optimizer state in place from the gradient `g`.
// The same kernel serves one tensor (the book's per-key `update`) and a whole parameter block
// (`updateBlock`): the formula is elementwise, so both paths give the same bits.
//
// Every line follows common/optimizer.py in its order of operations. Scalars that numpy would
// compute in Python floats (lr_t, momentum², (1+momentum)·lr) are computed in f64 and then
// rounded once to T, as numpy does when a Python float meets a float32 array.
// The v128 body and the scalar tail compute the identical per-element expression (v128 sqrt
// and div are IEEE-exact like their scalar twins), so SIMD does not change results.
// A big parameter block (more than UPDATE_PARALLEL_MIN elements) is updated in ranges over the
// threads: every element alone, so the bits are the same.
import { LANES, BYTES } from "./lanes";
import { threadCount, beginJob, setArg, setArgF64, arg, argI32, argF64, runJob, SMALL_JOB_WORK } from "./gemm/threads";
import { jobKind, JOB_UPDATE } from "./jobs";

const UPDATE_SGD = 0, UPDATE_MOMENTUM = 1, UPDATE_NESTEROV = 2, UPDATE_ADAGRAD = 3, UPDATE_RMSPROP = 4, UPDATE_ADAM = 5;
/** Elements below which an update stays on one thread (~10 µs of work). */
const UPDATE_PARALLEL_MIN = 32768;
/** Elements per chunk of a parallel update (a multiple of every vector width). */
const UPDATE_CHUNK = 8192;

// The book's 1e-7 inside `np.sqrt(h) + 1e-7` (AdaGrad, RMSprop, Adam).
const EPS: f64 = 1e-7;

/** SGD: p -= lr * g (lr is passed as T: one rounding, as numpy's float32 array times a Python float). */
export function sgdUpdate<T>(p: usize, g: usize, lr: T, n: i32): void {
  runUpdate<T>(UPDATE_SGD, p, 0, 0, g, <f64>lr, 0, 0, 0, n);
}

function sgdRange<T>(p: usize, g: usize, lr: T, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const vlr = v128.splat<T>(lr);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(p + o, v128.sub<T>(v128.load(p + o), v128.mul<T>(vlr, v128.load(g + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(p + o, load<T>(p + o) - lr * load<T>(g + o));
  }
}

/** Momentum: v = momentum·v - lr·g; p += v. */
function momentumRange<T>(p: usize, v: usize, g: usize, lr: f64, momentum: f64, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const a = <T>momentum, b = <T>lr;
  const va = v128.splat<T>(a), vb = v128.splat<T>(b);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const nv = v128.sub<T>(v128.mul<T>(va, v128.load(v + o)), v128.mul<T>(vb, v128.load(g + o)));
    v128.store(v + o, nv);
    v128.store(p + o, v128.add<T>(v128.load(p + o), nv));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const nv: T = a * load<T>(v + o) - b * load<T>(g + o);
    store<T>(v + o, nv);
    store<T>(p + o, load<T>(p + o) + nv);
  }
}

/**
 * Nesterov (the book's reformulation, no look-ahead evaluation needed):
 * v = momentum·v; v -= lr·g; p += momentum²·v; p -= (1 + momentum)·lr·g.
 */
function nesterovRange<T>(p: usize, v: usize, g: usize, lr: f64, momentum: f64, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const m = <T>momentum, b = <T>lr, mm = <T>(momentum * momentum), c = <T>((1 + momentum) * lr);
  const vm = v128.splat<T>(m), vb = v128.splat<T>(b), vmm = v128.splat<T>(mm), vc = v128.splat<T>(c);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const gv = v128.load(g + o);
    const nv = v128.sub<T>(v128.mul<T>(v128.load(v + o), vm), v128.mul<T>(vb, gv));
    v128.store(v + o, nv);
    const np = v128.add<T>(v128.load(p + o), v128.mul<T>(vmm, nv));
    v128.store(p + o, v128.sub<T>(np, v128.mul<T>(vc, gv)));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const gs = load<T>(g + o);
    const nv: T = load<T>(v + o) * m - b * gs;
    store<T>(v + o, nv);
    const np: T = load<T>(p + o) + mm * nv;
    store<T>(p + o, np - c * gs);
  }
}

/** AdaGrad: h += g·g; p -= lr·g / (sqrt(h) + 1e-7). */
function adagradRange<T>(p: usize, h: usize, g: usize, lr: f64, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const b = <T>lr, e = <T>EPS;
  const vb = v128.splat<T>(b), ve = v128.splat<T>(e);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const gv = v128.load(g + o);
    const nh = v128.add<T>(v128.load(h + o), v128.mul<T>(gv, gv));
    v128.store(h + o, nh);
    const step = v128.div<T>(v128.mul<T>(vb, gv), v128.add<T>(v128.sqrt<T>(nh), ve));
    v128.store(p + o, v128.sub<T>(v128.load(p + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const gs = load<T>(g + o);
    const nh: T = load<T>(h + o) + gs * gs;
    store<T>(h + o, nh);
    store<T>(p + o, load<T>(p + o) - (b * gs) / (<T>sqrt<T>(nh) + e));
  }
}

/** RMSprop: h = decay·h; h += (1 - decay)·g·g; p -= lr·g / (sqrt(h) + 1e-7). */
function rmspropRange<T>(p: usize, h: usize, g: usize, lr: f64, decayRate: f64, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const b = <T>lr, d = <T>decayRate, k = <T>(1 - decayRate), e = <T>EPS;
  const vb = v128.splat<T>(b), vd = v128.splat<T>(d), vk = v128.splat<T>(k), ve = v128.splat<T>(e);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const gv = v128.load(g + o);
    const nh = v128.add<T>(v128.mul<T>(v128.load(h + o), vd), v128.mul<T>(v128.mul<T>(vk, gv), gv));
    v128.store(h + o, nh);
    const step = v128.div<T>(v128.mul<T>(vb, gv), v128.add<T>(v128.sqrt<T>(nh), ve));
    v128.store(p + o, v128.sub<T>(v128.load(p + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const gs = load<T>(g + o);
    const nh: T = load<T>(h + o) * d + k * gs * gs;
    store<T>(h + o, nh);
    store<T>(p + o, load<T>(p + o) - (b * gs) / (<T>sqrt<T>(nh) + e));
  }
}

/**
 * Adam, step number `t` (1 for the first update), with the book's bias correction folded into
 * the step size: lr_t = lr·sqrt(1 - beta2^t) / (1 - beta1^t);
 * m += (1 - beta1)·(g - m); v += (1 - beta2)·(g² - v); p -= lr_t·m / (sqrt(v) + 1e-7).
 * pow runs here, in wasm, so lr_t has the same bits in every engine.
 */
function adamRange<T>(p: usize, m: usize, v: usize, g: usize, lr: f64, beta1: f64, beta2: f64, t: i32, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const lrT = <T>(lr * Math.sqrt(1.0 - Math.pow(beta2, <f64>t)) / (1.0 - Math.pow(beta1, <f64>t)));
  const k1 = <T>(1 - beta1), k2 = <T>(1 - beta2), e = <T>EPS;
  const vl = v128.splat<T>(lrT), vk1 = v128.splat<T>(k1), vk2 = v128.splat<T>(k2), ve = v128.splat<T>(e);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const gv = v128.load(g + o);
    const mv = v128.load(m + o);
    const nm = v128.add<T>(mv, v128.mul<T>(vk1, v128.sub<T>(gv, mv)));
    v128.store(m + o, nm);
    const vv = v128.load(v + o);
    const nv = v128.add<T>(vv, v128.mul<T>(vk2, v128.sub<T>(v128.mul<T>(gv, gv), vv)));
    v128.store(v + o, nv);
    const step = v128.div<T>(v128.mul<T>(vl, nm), v128.add<T>(v128.sqrt<T>(nv), ve));
    v128.store(p + o, v128.sub<T>(v128.load(p + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const gs = load<T>(g + o);
    const ms = load<T>(m + o);
    const nm: T = ms + k1 * (gs - ms);
    store<T>(m + o, nm);
    const vs = load<T>(v + o);
    const nv: T = vs + k2 * (gs * gs - vs);
    store<T>(v + o, nv);
    store<T>(p + o, load<T>(p + o) - (lrT * nm) / (<T>sqrt<T>(nv) + e));
  }
}

export function momentumUpdate<T>(p: usize, v: usize, g: usize, lr: f64, momentum: f64, n: i32): void {
  runUpdate<T>(UPDATE_MOMENTUM, p, v, 0, g, lr, momentum, 0, 0, n);
}

export function nesterovUpdate<T>(p: usize, v: usize, g: usize, lr: f64, momentum: f64, n: i32): void {
  runUpdate<T>(UPDATE_NESTEROV, p, v, 0, g, lr, momentum, 0, 0, n);
}

export function adagradUpdate<T>(p: usize, h: usize, g: usize, lr: f64, n: i32): void {
  runUpdate<T>(UPDATE_ADAGRAD, p, h, 0, g, lr, 0, 0, 0, n);
}

export function rmspropUpdate<T>(p: usize, h: usize, g: usize, lr: f64, decayRate: f64, n: i32): void {
  runUpdate<T>(UPDATE_RMSPROP, p, h, 0, g, lr, decayRate, 0, 0, n);
}

export function adamUpdate<T>(p: usize, m: usize, v: usize, g: usize, lr: f64, beta1: f64, beta2: f64, t: i32, n: i32): void {
  runUpdate<T>(UPDATE_ADAM, p, m, v, g, lr, beta1, beta2, t, n);
}

/** Update `which` over all n elements: here, or in ranges over the threads when the block is big. */
export function runUpdate<T>(which: i32, p: usize, s1: usize, s2: usize, g: usize, a: f64, b: f64, c: f64, t: i32, n: i32): void {
  if (threadCount() <= 1 || n < UPDATE_PARALLEL_MIN) {
    updateRange<T>(which, p, s1, s2, g, a, b, c, t, 0, n);
    return;
  }
  beginJob(jobKind<T>(JOB_UPDATE));
  setArg(0, which); setArg(1, p); setArg(2, s1); setArg(3, s2); setArg(4, g);
  setArgF64(5, a); setArgF64(6, b); setArgF64(7, c); setArg(8, t); setArg(9, n);
  // an Adam element costs more: still under ~60 µs. An update ends a training step: what comes
  // next (the next minibatch and forward plan) is further away than a worker's spin (idleAfter)
  runJob((n + UPDATE_CHUNK - 1) / UPDATE_CHUNK, <i64>n * 2 < SMALL_JOB_WORK, true);
}

export function updateChunk<T>(chunk: i32): void {
  const n = argI32(9);
  const i0 = chunk * UPDATE_CHUNK, i1 = i0 + UPDATE_CHUNK < n ? i0 + UPDATE_CHUNK : n;
  updateRange<T>(argI32(0), arg(1), arg(2), arg(3), arg(4), argF64(5), argF64(6), argF64(7), argI32(8), i0, i1);
}

/** Elements [i0, i1) of one update (the kernels above, on shifted pointers: each element alone). */
function updateRange<T>(which: i32, p: usize, s1: usize, s2: usize, g: usize, a: f64, b: f64, c: f64, t: i32, i0: i32, i1: i32): void {
  const o = <usize>i0 * BYTES<T>();
  const n = i1 - i0;
  switch (which) {
    case UPDATE_SGD: sgdRange<T>(p + o, g + o, <T>a, n); break;
    case UPDATE_MOMENTUM: momentumRange<T>(p + o, s1 + o, g + o, a, b, n); break;
    case UPDATE_NESTEROV: nesterovRange<T>(p + o, s1 + o, g + o, a, b, n); break;
    case UPDATE_ADAGRAD: adagradRange<T>(p + o, s1 + o, g + o, a, n); break;
    case UPDATE_RMSPROP: rmspropRange<T>(p + o, s1 + o, g + o, a, b, n); break;
    case UPDATE_ADAM: adamRange<T>(p + o, s1 + o, s2 + o, g + o, a, b, c, t, n); break;
    default: unreachable();
  }
}
