import type { JobRunner, WorkerEnd } from './pdf-readers.ts';

/** A worker as the job queue drives it: a Node worker thread in the CLI, a Web Worker in the page. */
export interface JobWorker {
  post(message: Record<string, unknown>): void;
  /** Listens to its replies and to its failure (what ended it); returns the function that stops listening. */
  listen(onReply: (m: Record<string, unknown>) => void, onFailure: (end: WorkerEnd) => void): () => void;
  terminate(): void;
  /** Told when a job starts and ends (a Node worker keeps the process alive only while it works). */
  busy?(on: boolean): void;
}

/**
 * Jobs for one worker (made by `spawn` on the first job and kept for the next: starting one costs more than a
 * small job), one at a time, each with a deadline. A job past its deadline or whose worker failed ends that worker,
 * and the next job gets a fresh one. Platform-neutral: the CLI and the page give their own `spawn`.
 */
export function jobQueue(spawn: () => JobWorker): JobRunner {
  let worker: JobWorker | null = null;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const runOne: JobRunner['run'] = (payload, timeoutMs, onReply) => {
    const w = (worker ??= spawn());
    const id = nextId++;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stop = () => {};
      const done = (end: WorkerEnd | null) => {
        clearTimeout(timer);
        stop();
        w.busy?.(false);
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
      stop = w.listen((m) => {
        if (m.id !== id) return;
        let finished: boolean;
        try {
          finished = onReply(m, deadline);
        } catch (e) {
          done({ kind: 'crash', detail: e instanceof Error ? e.message.slice(0, 200) : String(e) });
          return;
        }
        if (finished) done(null);
      }, done);
      deadline(timeoutMs);
      w.busy?.(true);
      w.post({ ...payload, id });
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
      const w = worker;
      worker = null;
      w?.terminate();
    },
  };
}
