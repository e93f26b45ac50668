import type { JobRunner, ReplyHandler, WorkerEnd } from '#adapters/pdf/pdf-readers.ts';

/**
 * The page's `JobRunner`: one Web Worker (made by `spawn`, started on the first job and kept), one job at a time,
 * each with a deadline. A job past its deadline or whose worker failed ends that worker (`terminate`), and the
 * next job gets a fresh one. A browser gives a worker no heap limit of its own: the deadline and the input limits
 * checked before a job are the bounds.
 */
export function webJobRunner(spawn: () => Worker): JobRunner {
  let worker: Worker | null = null;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = (
    payload: Record<string, unknown>,
    timeoutMs: number,
    onReply: ReplyHandler,
  ): Promise<WorkerEnd | null> => {
    const w = (worker ??= spawn());
    const id = nextId++;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (end: WorkerEnd | null) => {
        clearTimeout(timer);
        w.removeEventListener('message', onMessage);
        w.removeEventListener('error', onError);
        if (end) {
          if (worker === w) worker = null;
          w.terminate();
        }
        resolve(end);
      };
      const deadline = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => done({ kind: 'timeout' }), ms);
      };
      const onMessage = (e: MessageEvent<Record<string, unknown>>) => {
        if (e.data.id !== id) return;
        let finished: boolean;
        try {
          finished = onReply(e.data, deadline);
        } catch (err) {
          done({ kind: 'crash', detail: err instanceof Error ? err.message.slice(0, 200) : String(err) });
          return;
        }
        if (finished) done(null);
      };
      const onError = (e: ErrorEvent) => {
        e.preventDefault();
        done({ kind: 'crash', detail: (e.message || 'worker failed').slice(0, 200) });
      };
      deadline(timeoutMs);
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      w.postMessage({ ...payload, id });
    });
  };
  return {
    run(payload, timeoutMs, onReply) {
      const next = queue.then(() => runOne(payload, timeoutMs, onReply));
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
      worker?.terminate();
      worker = null;
    },
  };
}
