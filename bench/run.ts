/**
 * npm run bench [-- check|reconcile|import]: speed and memory goals, measured (never asserted in tests).
 */
import { benchCheck } from './check.ts';

const which = process.argv[2] ?? 'all';
const suites: Record<string, () => Promise<void>> = { check: benchCheck };
for (const [name, fn] of Object.entries(suites)) {
  if (which === 'all' || which === name) await fn();
}
