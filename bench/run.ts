/**
 * npm run bench [-- browser-store|bundles|check|pictures|reconcile|watch|serve|web|web-pictures]: speed and memory goals, measured (never asserted in tests).
 */
import { benchBrowserStore } from './browser-store.ts';
import { benchBundles } from './bundles.ts';
import { benchCheck } from './check.ts';
import { benchPictures } from './pictures.ts';
import { benchReconcile } from './reconcile.ts';
import { benchWatch } from './watch.ts';

const which = process.argv[2] ?? 'all';
const suites: Record<string, () => Promise<void>> = {
  'browser-store': benchBrowserStore,
  bundles: benchBundles,
  check: benchCheck,
  pictures: benchPictures,
  reconcile: benchReconcile,
  watch: benchWatch,
  serve: async () => (await import('./serve.ts')).benchServe(),
  // The web app (Chromium on dist/web/); loaded by name: it is type-checked with the DOM (tsconfig.web.json).
  web: async () => ((await import(['./web', 'ts'].join('.'))) as { benchWeb(): Promise<void> }).benchWeb(),
  'web-pictures': async () =>
    ((await import(['./web', 'ts'].join('.'))) as { benchWebPictures(): Promise<void> }).benchWebPictures(),
};
for (const [name, fn] of Object.entries(suites)) {
  if (which === 'all' || which === name) await fn();
}
