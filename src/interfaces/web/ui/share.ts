/**
 * What the phone's share sheet sent (Web Share Target, POST): the service worker (`public/share-target.js`) keeps
 * it in this device's cache and opens `./?shared=1#/check`; the check takes it from there once, and it is deleted.
 */
const SHARE_CACHE = 'mamori-share';

export type SharedItem =
  | { kind: 'text'; text: string }
  | { kind: 'file'; name: string; type: string; bytes: Uint8Array }
  | { kind: 'failed' };

/** Whether the address says something was shared (`?shared=1` or `failed`); the mark is cleared from it at once. */
export function sharedMark(): '1' | 'failed' | null {
  const v = new URLSearchParams(location.search).get('shared');
  if (v !== '1' && v !== 'failed') return null;
  history.replaceState(null, '', location.pathname + '#/check');
  return v;
}

/** The shared item, taken out of the cache (so it is read once), or `failed`. */
export async function takeShared(mark: '1' | 'failed'): Promise<SharedItem> {
  if (mark === 'failed' || !('caches' in globalThis)) return { kind: 'failed' };
  try {
    const cache = await caches.open(SHARE_CACHE);
    const key = new URL('share/last', document.baseURI).href;
    const res = await cache.match(key);
    await cache.delete(key);
    if (!res) return { kind: 'failed' };
    if (res.headers.get('x-mamori-kind') === 'file')
      return {
        kind: 'file',
        name: decodeURIComponent(res.headers.get('x-mamori-name') ?? 'shared'),
        type: res.headers.get('content-type') ?? '',
        bytes: new Uint8Array(await res.arrayBuffer()),
      };
    return { kind: 'text', text: await res.text() };
  } catch {
    return { kind: 'failed' };
  }
}
