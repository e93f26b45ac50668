import type { CaseRecord, Checkup } from '#core/case/case.ts';
import { checkPassword, type PasswordVerdict } from '#core/case/checkup.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { PasswordScorer } from '#core/ports/password-scorer.ts';

/** What the person answered; a question left out stays `unknown`. The password is used and forgotten. */
export interface CheckupAnswers {
  password?: string;
  birthday?: string;
  twoStep?: boolean;
  oneClick?: boolean;
  storedCards?: number;
  bookmarks?: boolean;
  emailSecure?: boolean;
}

export type CheckupItem = 'ok' | 'fix' | 'unknown';

/** The prevention items in the order they are shown. */
export const checkupItems = [
  'password',
  'two-step',
  'one-click',
  'stored-cards',
  'bookmarks',
  'email-security',
] as const;

const judged = (v: boolean | undefined, good: boolean): CheckupItem =>
  v === undefined ? 'unknown' : v === good ? 'ok' : 'fix';

/** A password is fine at zxcvbn 3+ and when it is not made of the person's birthday, phone or name. */
export function passwordItem(pw: PasswordVerdict | undefined): CheckupItem {
  if (!pw) return 'unknown';
  return pw.score >= 3 && !pw.flags.some((f) => f === 'birthday' || f === 'phone' || f === 'name')
    ? 'ok'
    : 'fix';
}

/**
 * The checkup of a case: the password scored (through the PasswordScorer, with the case's contact facts) and
 * each prevention item judged. Returns the case with the checkup set; the password is not in it.
 */
export async function runCheckup(
  c: CaseRecord,
  answers: CheckupAnswers,
  deps: { scorer: PasswordScorer; clock: Clock },
): Promise<{ case: CaseRecord; checkup: Checkup; password?: PasswordVerdict }> {
  const pw =
    answers.password === undefined
      ? undefined
      : await checkPassword(answers.password, { ...c.contact, birthday: answers.birthday }, deps.scorer);
  const items: Record<(typeof checkupItems)[number], CheckupItem> = {
    password: passwordItem(pw),
    'two-step': judged(answers.twoStep, true),
    'one-click': judged(answers.oneClick, false),
    'stored-cards': answers.storedCards === undefined ? 'unknown' : answers.storedCards <= 1 ? 'ok' : 'fix',
    bookmarks: judged(answers.bookmarks, true),
    'email-security': judged(answers.emailSecure, true),
  };
  const checkup: Checkup = { at: deps.clock.now(), ...(pw ? { password: pw } : {}), items };
  return { case: { ...c, checkup }, checkup, ...(pw ? { password: pw } : {}) };
}
