import type { Situation } from '#core/knowledge/schema.ts';
import type { CardInfo, PrintedLine } from '#core/ledger/types.ts';
import type { CardType, CaseFacts, Region } from '#core/plan/plan.ts';

export const eventKinds = [
  'noticed',
  'contacted-amazon',
  'contacted-card',
  'account-locked',
  'card-stopped',
  'password-changed',
  'police-report',
  'consumer-centre',
  'refund-received',
  'other',
] as const;
export type EventKind = (typeof eventKinds)[number];
export const stepStatuses = ['todo', 'doing', 'done', 'skipped'] as const;
export type StepStatus = (typeof stepStatuses)[number];

/**
 * What a mail is in the case: the phishing evidence, or the genuine notice from Amazon that showed the takeover (a
 * sign-in alert, an order the person never placed). A genuine mail is never phishing evidence.
 */
export type MailRole = 'phishing' | 'genuine-notice';

export interface CaseMail {
  source: string;
  /** Absent in cases stored before roles: those mails were all kept as evidence. */
  role?: MailRole;
  verdict: string;
  /** When the receiving provider got it (its topmost Received line, else Date), as the mail wrote it. */
  received?: string;
  /** The header block as received (decoded, capped), for an investigator's appendix. */
  headers?: string;
  /** The address the mail sent people to (the fake site), once, for the evidence. */
  site?: string;
  subject: string;
  from: string | null;
  /** The receiving provider's authentication results, as believed (or why none could be). */
  auth: string;
  findings: { id: string; evidence: string }[];
  links: { text: string; target: string; domain: string | null; own: boolean }[];
}

export interface DisputedCharge {
  /** The statement row's key, so the same row is never added twice (two equal charges on one day stay two). */
  key?: string;
  date: string;
  description: string;
  amount: number;
  currency: string;
  orderIds: string[];
  category: string;
  risk: string;
  /** Why it is disputed, as finding ids (the report turns them into sentences). */
  reasons: string[];
  /** The statement's own cells for the row (the card company matches these, not our normalised text). */
  printed?: PrintedLine;
  card?: CardInfo;
}

export interface Checkup {
  at: string;
  /** zxcvbn score 0–4 and what made the password weak; the password itself is never kept. */
  password?: { score: number; flags: string[]; warning: string };
  items: Record<string, 'ok' | 'fix' | 'unknown'>;
}

export interface CaseRecord {
  id: string;
  created: string;
  title: string;
  region: Region;
  situations: Situation[];
  noticed: string;
  card?: CardType;
  /** The card the charges are on, as the person gave it (`case new --card-last4`); the statement's otherwise. */
  cardInfo?: CardInfo;
  contact: { name?: string; phone?: string; email?: string; address?: string };
  mails: CaseMail[];
  charges: DisputedCharge[];
  steps: Record<string, { status: StepStatus; at: string; note?: string; receipt?: string }>;
  checkup?: Checkup;
}

export interface CaseEvent {
  at: string;
  kind: EventKind;
  note?: string;
  /** The receipt, case or reference number the other side gave (受付番号). */
  receipt?: string;
}

export function caseFacts(c: CaseRecord): CaseFacts {
  return {
    ...c.contact,
    orderIds: [...new Set(c.charges.flatMap((x) => x.orderIds))],
    charges: c.charges.map(({ date, description, amount, currency }) => ({
      date,
      description,
      amount,
      currency,
    })),
  };
}

/** The next free id for a case opened on `today`: C-YYYYMMDD-N. */
export function nextCaseId(today: string, existing: readonly string[]): string {
  const prefix = `C-${today.replace(/-/g, '')}-`;
  const n = existing.filter((id) => id.startsWith(prefix)).map((id) => Number(id.slice(prefix.length)) || 0);
  return `${prefix}${Math.max(0, ...n) + 1}`;
}
