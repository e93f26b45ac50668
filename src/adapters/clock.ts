/** The clock, injected: MAMORI_TODAY (YYYY-MM-DD) fixes "today", MAMORI_NOW (ISO 8601) the moment, for reproducible plans and tests. */
export interface Clock {
  today(): string;
  now(): string;
}

export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.MAMORI_TODAY;
  if (fixed && !/^\d{4}-\d{2}-\d{2}$/.test(fixed)) throw new Error('MAMORI_TODAY must be YYYY-MM-DD');
  const fixedNow = env.MAMORI_NOW;
  if (fixedNow && Number.isNaN(Date.parse(fixedNow)))
    throw new Error('MAMORI_NOW must be an ISO 8601 time such as 2026-11-20T02:00+09:00');
  const at = () => (fixedNow ? new Date(fixedNow) : new Date());
  return {
    today: () =>
      fixed ??
      new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at()),
    now: () => (fixedNow ? at().toISOString() : fixed ? `${fixed}T00:00:00.000Z` : at().toISOString()),
  };
}
