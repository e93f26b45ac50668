/** The page's side of the engine worker: `call(type, payload)` returns the core's answer; progress is reported. */
import type { EngineApi, EngineReply, EngineType, Progress } from './protocol.ts';

type Pending = { resolve(v: unknown): void; reject(e: Error): void; progress?: (p: Progress) => void };

let worker: Worker | null = null;
let next = 1;
const pending = new Map<number, Pending>();

function engine(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./engine-worker.ts', import.meta.url), {
    type: 'module',
    name: 'mamori-engine',
  });
  worker.addEventListener('message', (e: MessageEvent<EngineReply>) => {
    const r = e.data;
    const p = pending.get(r.id);
    if (!p) return;
    if ('progress' in r) return p.progress?.(r.progress);
    pending.delete(r.id);
    if (r.ok) p.resolve(r.value);
    else p.reject(new Error(r.error));
  });
  worker.addEventListener('error', () => {
    for (const p of pending.values()) p.reject(new Error('web.error.engine'));
    pending.clear();
  });
  return worker;
}

export function call<K extends EngineType>(
  type: K,
  payload: EngineApi[K][0],
  progress?: (p: Progress) => void,
): Promise<EngineApi[K][1]> {
  const id = next++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(progress ? { progress } : {}) });
    engine().postMessage({ id, type, payload });
  });
}
