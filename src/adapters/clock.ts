import type { Clock } from '#core/ports/clock.ts';

export type { Clock } from '#core/ports/clock.ts';

/** Thrown for a MAMORI_TODAY or MAMORI_NOW that is not a date or time; the interface says so in the person's language. */
export class ClockSettingError extends Error {
  constructor(
    value: string,
    readonly variable: 'MAMORI_TODAY' | 'MAMORI_NOW' = 'MAMORI_TODAY',
  ) {
    super(value);
  }
}

/**
 * The system clock; MAMORI_TODAY (YYYY-MM-DD) fixes "today" and MAMORI_NOW (ISO 8601, e.g. 2026-11-20T02:00+09:00)
 * the moment, for reproducible plans and tests (a plan at 02:00 moves closed routes to their opening).
 */
export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.MAMORI_TODAY;
  if (fixed && !/^\d{4}-\d{2}-\d{2}$/.test(fixed)) throw new ClockSettingError(fixed);
  const fixedNow = env.MAMORI_NOW;
  if (fixedNow && Number.isNaN(Date.parse(fixedNow))) throw new ClockSettingError(fixedNow, 'MAMORI_NOW');
  const at = () => (fixedNow ? new Date(fixedNow) : new Date());
  return {
    today: () =>
      fixed ??
      new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at()),
    now: () => (fixedNow ? at().toISOString() : fixed ? `${fixed}T00:00:00.000Z` : at().toISOString()),
  };
}
