import { Worker } from 'node:worker_threads';
import { jobQueue } from './job-queue.ts';
import type { JobRunner } from './pdf-readers.ts';

export interface BoundedWorkerOptions {
  /** The worker's heap limit: a job that needs more ends the worker, not mamori. */
  heapMb: number;
  /** The module URL the worker resolves its packages from (`workerData.from`). */
  from: string;
}

/**
 * One worker thread for heavy, hostile work (pdf.js on an attached PDF), driven by `jobQueue`: one job at a time,
 * each with a deadline; past it, out of its own heap or crashed, the worker is ended and the next job gets a fresh
 * one. The worker keeps the process alive only while a job runs. `source` is plain JavaScript (eval), so it runs the
 * same from the bundle, tsx and the tests.
 */
export function boundedWorker(source: string, options: BoundedWorkerOptions): JobRunner {
  return jobQueue(() => {
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
    return {
      post: (m) => w.postMessage(m),
      listen(onReply, onFailure) {
        const onError = (err: Error & { code?: string }) =>
          onFailure(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? { kind: 'memory' }
              : { kind: 'crash', detail: err.message.slice(0, 200) },
          );
        const onExit = (code: number) => onFailure({ kind: 'crash', detail: `exit ${code}` });
        w.on('message', onReply);
        w.once('error', onError);
        w.once('exit', onExit);
        return () => {
          w.off('message', onReply);
          w.off('error', onError);
          w.off('exit', onExit);
        };
      },
      terminate: () => void w.terminate(),
      busy: (on) => (on ? w.ref() : w.unref()),
    };
  });
}
