import { weekdays, type Weekday } from '#core/knowledge/constants.ts';

/** Why a date a person typed was refused: not a date, a day that does not exist (2026-02-30), or a future day. */
export type DateProblem = 'format' | 'impossible' | 'future';

export type ParsedDate = { ok: true; date: string } | { ok: false; problem: DateProblem };

const pad = (n: number) => String(n).padStart(2, '0');

function daysInMonth(y: number, m: number): number {
  return [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][m - 1]!;
}

function valid(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * A date as people write it: 2026-11-20, 2026/11/20, 2026年11月20日, full-width digits, or 11/20 and 11月20日
 * (the year inferred: this year, or last year if this year's would be in the future). Future and impossible
 * days are refused: a cut-off counted from a day that has not happened would be invented.
 */
export function parsePersonDate(raw: string, today: string): ParsedDate {
  const s = raw
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, '')
    .replace(/[‐‑‒–—―−ー]/g, '-');
  let y: number;
  let m: number;
  let d: number;
  const full = /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)$/.exec(s);
  const short = /^(?:(\d{1,2})[/.-](\d{1,2})|(\d{1,2})月(\d{1,2})日?)$/.exec(s);
  if (full) {
    y = Number(full[1]);
    m = Number(full[2] ?? full[4]);
    d = Number(full[3] ?? full[5]);
  } else if (short) {
    m = Number(short[1] ?? short[3]);
    d = Number(short[2] ?? short[4]);
    y = Number(today.slice(0, 4));
    if (`${y}-${pad(m)}-${pad(d)}` > today) y--;
  } else return { ok: false, problem: 'format' };
  if (!valid(y, m, d)) return { ok: false, problem: 'impossible' };
  const date = `${y}-${pad(m)}-${pad(d)}`;
  if (date > today) return { ok: false, problem: 'future' };
  return { ok: true, date };
}

/** A moment in a fixed-offset local time: its date, minutes since midnight and weekday. */
export interface LocalTime {
  date: string;
  minutes: number;
  weekday: Weekday;
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/** `now` (ISO 8601 with a zone) as local time at `utcOffset` (+09:00); null if `now` is not a time. */
export function localTime(now: string, utcOffset: string): LocalTime | null {
  const t = Date.parse(now);
  if (Number.isNaN(t)) return null;
  const local = new Date(t + offsetMinutes(utcOffset) * 60_000);
  return {
    date: local.toISOString().slice(0, 10),
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
    weekday: weekdays[local.getUTCDay()]!,
  };
}

export function weekdayOf(date: string): Weekday {
  return weekdays[new Date(date + 'T00:00:00Z').getUTCDay()]!;
}

export function hhmmMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export function minutesHhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000);
}
