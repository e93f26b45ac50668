import type { Clock } from '#core/ports/clock.ts';

export type { Clock } from '#core/ports/clock.ts';

/** Thrown for a MAMORI_TODAY that is not a date; the interface says so in the person's language. */
export class ClockSettingError extends Error {}

/** The system clock; MAMORI_TODAY (YYYY-MM-DD) fixes "today" for reproducible plans and tests. */
export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.MAMORI_TODAY;
  if (fixed && !/^\d{4}-\d{2}-\d{2}$/.test(fixed)) throw new ClockSettingError(fixed);
  return {
    today: () =>
      fixed ??
      new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(),
      ),
    now: () => (fixed ? `${fixed}T00:00:00.000Z` : new Date().toISOString()),
  };
}
