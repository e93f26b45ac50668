/** The clock, injected: MAMORI_TODAY (YYYY-MM-DD) fixes "today" for reproducible plans and tests. */
export interface Clock {
  today(): string;
  now(): string;
}

export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.MAMORI_TODAY;
  if (fixed && !/^\d{4}-\d{2}-\d{2}$/.test(fixed)) throw new Error('MAMORI_TODAY must be YYYY-MM-DD');
  return {
    today: () =>
      fixed ??
      new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(),
      ),
    now: () => (fixed ? `${fixed}T00:00:00.000Z` : new Date().toISOString()),
  };
}
