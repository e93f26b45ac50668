/**
 * npm run bench [-- check|reconcile|import]: speed and memory goals, measured (never asserted in tests).
 */
import { benchCheck } from './check.ts';
import { benchReconcile } from './reconcile.ts';

const which = process.argv[2] ?? 'all';
const suites: Record<string, () => Promise<void>> = { check: benchCheck, reconcile: benchReconcile };
for (const [name, fn] of Object.entries(suites)) {
  if (which === 'all' || which === name) await fn();
}
