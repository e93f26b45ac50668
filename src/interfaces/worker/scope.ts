/**
 * The little of a Web Worker's global scope the workers use. Typed here so that the workers compile without the
 * DOM library and without Node's types meaning anything to them.
 */
export interface WorkerScope {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export const scope = globalThis as unknown as WorkerScope;

/** One request and its answer: the id pairs them, so a page can have several in flight. */
export interface WorkerRequest<T extends string, P> {
  id: number;
  type: T;
  payload: P;
}

export type WorkerReply<R> = { id: number; ok: true; value: R } | { id: number; ok: false; error: string };

/** Answers each request with the handler's value, or with the error's message (never a stack). */
export function serve<T extends string, P, R>(type: T, handle: (payload: P) => Promise<R> | R): void {
  scope.addEventListener('message', (event) => {
    const req = event.data as WorkerRequest<T, P>;
    if (!req || req.type !== type) return;
    Promise.resolve()
      .then(() => handle(req.payload))
      .then(
        (value) => scope.postMessage({ id: req.id, ok: true, value } satisfies WorkerReply<R>),
        (err: unknown) =>
          scope.postMessage({
            id: req.id,
            ok: false,
            error: err instanceof Error ? err.message : String(err),
          } satisfies WorkerReply<R>),
      );
  });
}
