// Every network wait the library makes is bounded (issue 14 §7): the dataset downloads in Node,
// loadMnistFromUrls in pages and workers, and init()'s wasm fetch. Three limits, as curl has
// them (--max-time, --speed-limit/--speed-time, and an idle timeout):
//  - deadlineMs: the whole request — connecting, headers, every byte of the body — must finish
//    in this time. An idle timeout alone never fires on a body that trickles one byte every
//    200 ms, because every byte restarts it.
//  - minBytesPerSecond over rateWindowMs: a body slower than this, averaged over each window
//    since the headers came, is cut off long before the deadline (a 10 MB file at 5 B/s would
//    otherwise use the whole deadline).
//  - timeoutMs: no byte at all for this long (a server that accepted and went silent).
// Browser-safe: AbortController, timers and web streams only.

export interface NetworkLimits {
  /** Abort when no bytes arrive for this long, in ms (default 30 000). */
  timeoutMs?: number;
  /** Abort a request not complete — connection, headers and whole body — after this long, in ms (default 600 000). */
  deadlineMs?: number;
  /** Abort a body arriving slower than this many bytes/s, averaged over each `rateWindowMs` (default 1024; 0 turns it off). */
  minBytesPerSecond?: number;
  /** The window `minBytesPerSecond` is averaged over, in ms (default 10 000). */
  rateWindowMs?: number;
}

export const NETWORK_DEFAULTS: Readonly<Required<NetworkLimits>> = Object.freeze({
  timeoutMs: 30_000,
  deadlineMs: 600_000,
  minBytesPerSecond: 1024,
  rateWindowMs: 10_000,
});

type Timer = ReturnType<typeof setTimeout>;

/** The timers of one request. Every limit that fires aborts `signal` and clears all timers. */
export class NetworkWait {
  readonly signal: AbortSignal;
  /** Bytes of the body so far. */
  received = 0;
  private readonly controller = new AbortController();
  private readonly limits: Required<NetworkLimits>;
  private fired: string | null = null;
  private finished = false;
  private deadline: Timer | undefined;
  private idle: Timer | undefined;
  private rate: ReturnType<typeof setInterval> | undefined;
  private windowBytes = 0;

  constructor(limits: NetworkLimits, where: string) {
    this.limits = checkLimits(limits, where);
    this.signal = this.controller.signal;
    this.deadline = setTimeout(() => this.fire(`not complete within the ${this.limits.deadlineMs} ms deadline (deadlineMs; ${this.received} bytes received)`), this.limits.deadlineMs);
    this.armIdle();
  }

  /** The limit that stopped the request, described; null if none did. */
  get reason(): string | null {
    return this.fired;
  }

  /** Headers are in: the body's rate is measured from now on. */
  started(): void {
    if (this.finished || this.limits.minBytesPerSecond === 0) return;
    const { minBytesPerSecond: min, rateWindowMs: window } = this.limits;
    const need = (min * window) / 1000;
    this.rate = setInterval(() => {
      if (this.windowBytes < need) {
        this.fire(`too slow: ${this.windowBytes} bytes in the last ${window} ms, below the minimum of ${min} bytes/s (minBytesPerSecond)`);
      }
      this.windowBytes = 0;
    }, window);
  }

  /** A chunk of the body arrived. */
  chunk(bytes: number): void {
    this.received += bytes;
    this.windowBytes += bytes;
    this.armIdle();
  }

  /** The request is over (done, failed or cancelled): stop every timer. */
  finish(): void {
    this.finished = true;
    clearTimeout(this.deadline);
    clearTimeout(this.idle);
    clearInterval(this.rate);
  }

  /** Why the request failed: the limit that fired, or the cause itself. */
  explain(cause: unknown): string {
    return this.fired ?? describeCause(cause);
  }

  private armIdle(): void {
    if (this.finished) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.fire(`no data for ${this.limits.timeoutMs} ms (timed out)`), this.limits.timeoutMs);
  }

  private fire(reason: string): void {
    if (this.finished) return;
    this.fired = reason;
    this.finish();
    this.controller.abort(new Error(reason));
  }
}

/**
 * `fetch(url)` under the limits. Resolves once the headers are in, with the response and its
 * body wrapped so the limits keep applying while the caller reads it (and end when it is read,
 * fails or is cancelled). A failed request rejects with `<url>: <why>`.
 */
export async function fetchWithLimits(
  url: string, limits: NetworkLimits, where: string, doFetch: typeof fetch = globalThis.fetch,
): Promise<{ response: Response; body: ReadableStream<Uint8Array> | null; wait: NetworkWait }> {
  const wait = new NetworkWait(limits, where);
  let response: Response;
  try {
    response = await raceSignal(doFetch(url, { signal: wait.signal, redirect: "follow" }), wait.signal);
  } catch (cause) {
    wait.finish();
    throw new Error(`${url}: request failed: ${wait.explain(cause)}`, { cause });
  }
  wait.started();
  const body = response.body === null ? null : limitBody(response.body, wait, url);
  if (body === null) wait.finish();
  return { response, body, wait };
}

/** `response` (already started elsewhere, e.g. a Promise<Response> given to init) under the limits. */
export async function awaitResponse(
  pending: Response | Promise<Response>, limits: NetworkLimits, where: string, what: string,
): Promise<{ response: Response; body: ReadableStream<Uint8Array> | null; wait: NetworkWait }> {
  const wait = new NetworkWait(limits, where);
  let response: Response;
  try {
    response = await raceSignal(Promise.resolve(pending), wait.signal);
  } catch (cause) {
    wait.finish();
    throw new Error(`${what}: request failed: ${wait.explain(cause)}`, { cause });
  }
  wait.started();
  const body = response.body === null ? null : limitBody(response.body, wait, what);
  if (body === null) wait.finish();
  return { response, body, wait };
}

/** A body that enforces `wait` chunk by chunk; an error names `url` and the limit. */
export function limitBody(body: ReadableStream<Uint8Array>, wait: NetworkWait, url: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const onAbort = (): void => { reader.cancel(wait.reason ?? "aborted").catch(() => {}); };
  wait.signal.addEventListener("abort", onAbort, { once: true });
  const end = (): void => { wait.finish(); wait.signal.removeEventListener("abort", onAbort); };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await raceSignal(reader.read(), wait.signal);
      } catch (cause) {
        end();
        controller.error(new Error(`${url}: connection lost after ${wait.received} bytes: ${wait.explain(cause)}`, { cause }));
        return;
      }
      if (step.done) {
        end();
        controller.close();
        return;
      }
      wait.chunk(step.value.byteLength);
      controller.enqueue(step.value);
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}

/** `promise`, or a rejection as soon as `signal` aborts (for waits that do not take a signal). */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener("abort", onAbort); resolve(v); },
      (e) => { signal.removeEventListener("abort", onAbort); reject(e); },
    );
  });
}

function checkLimits(limits: NetworkLimits, where: string): Required<NetworkLimits> {
  const out = { ...NETWORK_DEFAULTS };
  for (const key of Object.keys(NETWORK_DEFAULTS) as (keyof NetworkLimits)[]) {
    const v = limits[key];
    if (v === undefined) continue;
    const zeroOk = key === "minBytesPerSecond";
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (v === 0 && !zeroOk) || (key !== "minBytesPerSecond" && v > 2 ** 31 - 1)) {
      throw new Error(`${where}: ${key} must be a ${zeroOk ? "non-negative" : "positive"} number of ${key === "minBytesPerSecond" ? "bytes per second" : "milliseconds (at most 2³¹−1)"}, got ${String(v).slice(0, 40)}`);
    }
    out[key] = v;
  }
  return out;
}

/** An error's message plus its cause's (undici hides the real reason in `cause`). */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : null;
  const detail = cause ? ` (${(cause as { code?: string }).code ?? cause.message})` : "";
  return `${error.message}${detail}`;
}
