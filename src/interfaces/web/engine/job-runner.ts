import { jobQueue } from '#adapters/pdf/job-queue.ts';
import type { JobRunner } from '#adapters/pdf/pdf-readers.ts';

/**
 * The page's `JobRunner`: one Web Worker (made by `spawn`) driven by `jobQueue`, one job at a time, each with a
 * deadline; past it, or failed, the worker is ended and the next job gets a fresh one. A browser gives a worker no
 * heap limit of its own: the deadline and the input limits checked before a job are the bounds.
 */
export function webJobRunner(spawn: () => Worker): JobRunner {
  return jobQueue(() => {
    const w = spawn();
    return {
      post: (m) => w.postMessage(m),
      listen(onReply, onFailure) {
        const onMessage = (e: MessageEvent<Record<string, unknown>>) => onReply(e.data);
        const onError = (e: ErrorEvent) => {
          e.preventDefault();
          onFailure({ kind: 'crash', detail: (e.message || 'worker failed').slice(0, 200) });
        };
        w.addEventListener('message', onMessage);
        w.addEventListener('error', onError);
        return () => {
          w.removeEventListener('message', onMessage);
          w.removeEventListener('error', onError);
        };
      },
      terminate: () => w.terminate(),
    };
  });
}
