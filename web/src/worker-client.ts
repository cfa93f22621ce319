// Request/reply over postMessage: each request gets an id, the worker answers with a `reply`
// carrying the same id; everything else the worker sends is an event.
import type { FromWorker, ToWorker } from "./protocol.js";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
export type Request = WithoutId<ToWorker>;
export type WorkerEvent = Exclude<FromWorker, { type: "reply" }>;

export class WorkerClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly worker: Worker, onEvent: (e: WorkerEvent) => void) {
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type !== "reply") return onEvent(m);
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(new Error(m.error));
    };
    worker.onerror = (e) => onEvent({ type: "error", message: `worker: ${e.message}` });
  }

  request<T = void>(message: Request, transfer: Transferable[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }
}
