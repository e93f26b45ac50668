import type { PasswordScorer } from '#core/ports/password-scorer.ts';

export interface PasswordVerdict {
  score: number;
  /** birthday, phone, name, common, short: what card companies may call negligence, or what makes it guessable. */
  flags: string[];
  warning: string;
}

/**
 * How guessable a password is, with the Japanese dictionary and the user's own facts (name, phone, birthday) as
 * inputs (scored through the PasswordScorer port): a birthday or a phone number is among the first things tried.
 * (Card compensation can be refused over a guessable card PIN, not over the Amazon password: see the reference.)
 * Pure: the password is an argument and is neither kept nor logged.
 */
export async function checkPassword(
  password: string,
  personal: { name?: string; phone?: string; email?: string; birthday?: string },
  scorer: PasswordScorer,
): Promise<PasswordVerdict> {
  const inputs = [
    personal.name,
    ...(personal.name ?? '').split(/\s+/),
    personal.phone?.replace(/\D/g, ''),
    personal.email?.split('@')[0],
    personal.birthday?.replace(/\D/g, ''),
  ].filter((s): s is string => !!s && s.length >= 2);
  const r = await scorer.score(password, inputs);
  const flags = new Set<string>();
  for (const m of r.sequence) {
    if (m.pattern === 'date') flags.add('birthday');
    if (m.pattern === 'dictionary' && m.dictionaryName === 'userInputs') {
      const tok = m.token.toLowerCase();
      if (/^\d+$/.test(tok) && personal.phone && personal.phone.replace(/\D/g, '').includes(tok))
        flags.add('phone');
      else if (/^\d+$/.test(tok)) flags.add('birthday');
      else flags.add('name');
    }
    if (
      m.pattern === 'dictionary' &&
      m.dictionaryName !== 'userInputs' &&
      m.token.length >= 4 &&
      r.score <= 2
    )
      flags.add('common');
  }
  const digits = password.replace(/\D/g, '');
  if (/(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/.test(digits)) flags.add('birthday');
  if (
    /0[789]0\d{8}|0\d{9}/.test(digits) ||
    (personal.phone && digits.length >= 6 && personal.phone.replace(/\D/g, '').includes(digits.slice(-6)))
  )
    flags.add('phone');
  const b = personal.birthday?.replace(/\D/g, '') ?? '';
  if (
    b.length === 8 &&
    (digits.includes(b.slice(0, 4)) || digits.includes(b.slice(4)) || digits.includes(b.slice(2)))
  )
    flags.add('birthday');
  if (password.length < 10) flags.add('short');
  return { score: r.score, flags: [...flags].sort(), warning: r.warning };
}
