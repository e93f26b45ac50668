/**
 * npm run bench [-- bundles|check|reconcile]: speed and memory goals, measured (never asserted in tests).
 */
import { benchBundles } from './bundles.ts';
import { benchCheck } from './check.ts';
import { benchReconcile } from './reconcile.ts';

const which = process.argv[2] ?? 'all';
const suites: Record<string, () => Promise<void>> = {
  bundles: benchBundles,
  check: benchCheck,
  reconcile: benchReconcile,
};
for (const [name, fn] of Object.entries(suites)) {
  if (which === 'all' || which === name) await fn();
}
