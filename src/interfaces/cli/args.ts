import { eventKinds, stepStatuses, type EventKind, type StepStatus } from '#core/case/case.ts';
import { situations as allSituations, type Situation } from '#core/knowledge/constants.ts';
import type { StatementLayout } from '#core/knowledge/schema.ts';
import { layoutFromMapping } from '#core/ledger/statements.ts';
import { parsePersonDate } from '#core/plan/dates.ts';
import type { CardType, Region } from '#core/plan/plan.ts';
import { audiences, type Audience } from '#core/report/report.ts';
import { reportFormats, type ReportFormat } from '#core/app/build-report.ts';

/** A bad argument: a message key of data/messages and its facts; the CLI prints it and exits 2. */
export class UsageError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
  }
}

const oneOf = <T extends string>(list: readonly T[], v: string): v is T =>
  (list as readonly string[]).includes(v);

export function parseSituations(raw: string): Situation[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !oneOf(allSituations, s));
  if (bad.length || list.length === 0)
    throw new UsageError('usage.situation', { bad: bad.join(', '), choices: allSituations.join(', ') });
  return list as Situation[];
}

/**
 * A date as people write it (2026-11-20, 2026/11/20, full-width digits, 11/20 with the year inferred when
 * `today` is known); future and impossible days are refused, each with its own message.
 */
export function parseDate(raw: string, option: string, today?: string): string {
  // Without today no year can be inferred: only dates with their year.
  if (!today && !/^\d{4}/.test(raw.normalize('NFKC').trim()))
    throw new UsageError('usage.date', { option, value: raw });
  const r = parsePersonDate(raw, today ?? '9999-12-31');
  if (!r.ok)
    throw new UsageError(r.problem === 'format' ? 'usage.date' : `usage.date-${r.problem}`, {
      option,
      value: raw,
    });
  return r.date;
}

export function parseRegion(raw: string | undefined): Region {
  const r = raw ?? 'jp';
  if (r !== 'jp' && r !== 'us') throw new UsageError('usage.region', { value: r });
  return r;
}

export function parseCard(raw: string | undefined): CardType | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'credit' && raw !== 'debit' && raw !== 'prepaid')
    throw new UsageError('usage.card', { value: raw });
  return raw;
}

export function parseStatus(raw: string): StepStatus {
  if (!oneOf(stepStatuses, raw))
    throw new UsageError('usage.status', { value: raw, choices: stepStatuses.join(', ') });
  return raw;
}

export function parseEventKind(raw: string): EventKind {
  if (!oneOf(eventKinds, raw))
    throw new UsageError('usage.event-kind', { value: raw, choices: eventKinds.join(', ') });
  return raw;
}

export function parseAudience(raw: string | undefined): Audience {
  const a = raw ?? 'card';
  if (!oneOf(audiences, a))
    throw new UsageError('usage.audience', { value: a, choices: audiences.join(', ') });
  return a;
}

export function parseFormat(raw: string): ReportFormat {
  if (!oneOf(reportFormats, raw)) throw new UsageError('usage.format', { value: raw });
  return raw;
}

export function parseOnOff(raw: string | undefined, option: string): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'on' && raw !== 'off') throw new UsageError('usage.on-off', { option, value: raw });
  return raw === 'on';
}

export function parseYesNo(raw: string | undefined, option: string): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'yes' && raw !== 'no') throw new UsageError('usage.yes-no', { option, value: raw });
  return raw === 'yes';
}

export function parseCount(raw: string | undefined, option: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,3}$/.test(raw.trim())) throw new UsageError('usage.count', { option, value: raw });
  return Number(raw.trim());
}

export function parseMapping(
  map: string | undefined,
  currency: string | undefined,
): StatementLayout | undefined {
  if (currency !== undefined && currency !== 'JPY' && currency !== 'USD')
    throw new UsageError('usage.currency', { value: currency });
  if (!map) return undefined;
  const m = layoutFromMapping(map, currency === 'USD' ? 'USD' : 'JPY');
  if (typeof m === 'string') throw new UsageError('usage.map', { detail: m });
  return m;
}
