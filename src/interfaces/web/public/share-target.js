/* global self, caches, Request, Response, File */
// mamori's Web Share Target (issue 11), imported into the generated service worker (vite.config.ts
// `workbox.importScripts`). The phone's share sheet POSTs a form here (title, text, url and a file: a screenshot
// or a mail); it is kept in this device's cache only, and the page is opened on the check, which takes it from
// there (ui/share.ts) and deletes it. Nothing is sent anywhere: the request never leaves the service worker.
const SHARE_CACHE = 'mamori-share';
const MAX_BYTES = 25 * 1024 * 1024;

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'POST' || url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope);
  if (url.pathname !== scope.pathname + 'share-target') return;
  event.respondWith(
    (async () => {
      const back = (state) => Response.redirect(new URL(`./?shared=${state}#/check`, scope).href, 303);
      try {
        const form = await req.formData();
        const file = form.getAll('file').find((f) => f instanceof File && f.size > 0);
        const text = ['title', 'text', 'url']
          .map((k) => form.get(k))
          .filter((v) => typeof v === 'string' && v.trim())
          .join('\n');
        if ((!file && !text) || (file && file.size > MAX_BYTES)) return back('failed');
        const cache = await caches.open(SHARE_CACHE);
        const headers = file
          ? {
              'content-type': file.type || 'application/octet-stream',
              'x-mamori-kind': 'file',
              'x-mamori-name': encodeURIComponent(file.name || 'shared'),
            }
          : { 'content-type': 'text/plain; charset=utf-8', 'x-mamori-kind': 'text' };
        await cache.put(
          new Request(new URL('share/last', scope).href),
          new Response(file ?? text, { headers }),
        );
        return back('1');
      } catch {
        return back('failed');
      }
    })(),
  );
});
