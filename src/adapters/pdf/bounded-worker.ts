import { Worker } from 'node:worker_threads';
import type { JobRunner, ReplyHandler, WorkerEnd } from './pdf-readers.ts';

export interface BoundedWorkerOptions {
  /** The worker's heap limit: a job that needs more ends the worker, not mamori. */
  heapMb: number;
  /** The module URL the worker resolves its packages from (`workerData.from`). */
  from: string;
}

export interface BoundedWorker extends JobRunner {
  /**
   * Posts one job (with a fresh `id`) once the jobs before it are done, and resolves when it is finished (null)
   * or when its worker had to be ended (why). Never rejects.
   */
  run(payload: Record<string, unknown>, timeoutMs: number, onReply: ReplyHandler): Promise<WorkerEnd | null>;
  /** Ends the worker once the jobs asked for are done; resolves without waiting for its thread to stop. */
  close(): Promise<void>;
}

/**
 * One worker thread for heavy, hostile work (pdf.js on an attached PDF), started on the first job and kept for the
 * next (starting it costs more than a small job). Jobs run one at a time, each with a deadline; a job past its
 * deadline, out of memory or crashed ends the worker, and the next job gets a fresh one. The worker never keeps
 * the process alive between jobs. `source` is plain JavaScript (eval), so it runs the same from the bundle, tsx
 * and the tests.
 */
export function boundedWorker(source: string, options: BoundedWorkerOptions): BoundedWorker {
  let worker: Worker | null = null;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const start = () => {
    const w = new Worker(source, {
      eval: true,
      workerData: { from: options.from },
      resourceLimits: {
        maxOldGenerationSizeMb: options.heapMb,
        maxYoungGenerationSizeMb: 32,
        stackSizeMb: 4,
      },
      stdout: true,
      stderr: true,
    });
    w.unref();
    return w;
  };
  const runOne = (
    payload: Record<string, unknown>,
    timeoutMs: number,
    onReply: ReplyHandler,
  ): Promise<WorkerEnd | null> => {
    const w = (worker ??= start());
    const id = nextId++;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (end: WorkerEnd | null) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        w.unref();
        if (end) {
          if (worker === w) worker = null;
          void w.terminate();
        }
        resolve(end);
      };
      const deadline = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => done({ kind: 'timeout' }), ms);
      };
      const onMessage = (m: Record<string, unknown>) => {
        if (m.id !== id) return;
        let finished: boolean;
        try {
          finished = onReply(m, deadline);
        } catch (e) {
          done({ kind: 'crash', detail: e instanceof Error ? e.message.slice(0, 200) : String(e) });
          return;
        }
        if (finished) done(null);
      };
      const onError = (err: Error & { code?: string }) =>
        done(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { kind: 'memory' }
            : { kind: 'crash', detail: err.message.slice(0, 200) },
        );
      const onExit = (code: number) => done({ kind: 'crash', detail: `exit ${code}` });
      deadline(timeoutMs);
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.ref();
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
      const w = worker;
      worker = null;
      if (w) void w.terminate();
    },
  };
}
