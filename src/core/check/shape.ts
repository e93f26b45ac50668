import type { InputShape } from '#core/knowledge/constants.ts';
import type { Link } from '#core/mail/links.ts';
import type { ParsedMail } from '#core/mail/types.ts';

export type { InputShape } from '#core/knowledge/constants.ts';

/** Text besides the links that still reads as "a link on its own" ("is this safe?", 「これ大丈夫？」). */
const LINK_ONLY_OTHER_CHARS = 24;
/** An SMS is at most a few segments (70 characters each in Japanese, 160 in Latin letters). */
const SMS_MAX_CHARS = 400;

const TEXT_URL = /\b(?:https?:\/\/|hxxps?:\/\/|www\.)\S+/giu;

/**
 * What the input is, from its shape alone: a mail with headers, a link on its own (pasted, or a `.url`/`.webloc`
 * file), an SMS-shaped text (no headers, short, at most one site linked), or other pasted text.
 */
export function inputShape(mail: ParsedMail, links: readonly Link[]): InputShape {
  if (!mail.headerless) return 'mail';
  const text = mail.text ?? '';
  const web = links.filter((l) => l.kind === 'text' && l.host);
  const other = text.replace(TEXT_URL, '').replace(/\s+/g, '');
  if (web.length > 0 && !mail.html && other.length <= LINK_ONLY_OTHER_CHARS) return 'link';
  const sites = new Set(web.map((l) => l.domain ?? l.host));
  if (!mail.html && sites.size <= 1 && text.replace(/\s+/g, '').length <= SMS_MAX_CHARS) return 'sms';
  return 'pasted';
}
