import type { NoticeCharge, NoticeKnowledge, NoticeTemplate, ParsedNotice } from './types.ts';

// A notice is a few hundred bytes of labels; anything beyond this is not read (hostile input is bounded).
const MAX_TEXT = 64 * 1024;
const MAX_CHARGES = 50;

const digits = (s: string) => s.normalize('NFKC').replace(/[,\s]/g, '');

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function ymd(y: number, mo: number, d: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A notice's date as YYYY-MM-DD: year, month, day (Japanese issuers) or month, day, year (US, the month maybe a name). */
function isoDate(raw: string, order: 'ymd' | 'mdy'): string | null {
  const s = raw.normalize('NFKC');
  if (order === 'ymd') {
    const m = /(\d{4})\D+(\d{1,2})\D+(\d{1,2})/u.exec(s);
    return m ? ymd(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  }
  const named = /([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})/u.exec(s);
  if (named) {
    const mo = MONTHS.indexOf(named[1]!.slice(0, 3).toLowerCase()) + 1;
    return mo ? ymd(Number(named[3]), mo, Number(named[2])) : null;
  }
  const m = /(\d{1,2})\D+(\d{1,2})\D+(\d{4})/u.exec(s);
  return m ? ymd(Number(m[3]), Number(m[1]), Number(m[2])) : null;
}

/** The template whose sender and subject the mail carries (who it claims to be; authentication is the caller's). */
export function noticeTemplateFor(
  from: string | null,
  subject: string,
  knowledge: NoticeKnowledge,
): NoticeTemplate | null {
  const address = (from ?? '').toLowerCase();
  const subj = subject.normalize('NFKC');
  return (
    knowledge.templates.find(
      (t) => t.senders.includes(address) && t.subjects.some((s) => subj.includes(s.normalize('NFKC'))),
    ) ?? null
  );
}

/**
 * The charges one notice text reports by the template's layouts (the first layout that finds any wins). The
 * subject is read only by a layout that says so (`withSubject`).
 */
export function parseNoticeText(text: string, template: NoticeTemplate, subject = ''): ParsedNotice | null {
  const body = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  if (template.ignore.some((s) => body.includes(s))) return null;
  const headed = `${subject.slice(0, 1000).replace(/[\r\n]+/gu, ' ')}\n${body}`;
  for (const layout of template.layouts) {
    const re = new RegExp(layout.pattern, 'gu');
    const charges: NoticeCharge[] = [];
    for (const m of (layout.withSubject ? headed : body).matchAll(re)) {
      if (charges.length >= MAX_CHARGES) break;
      const g = m.groups ?? {};
      const date = isoDate(g.date ?? '', layout.dateOrder);
      const amount = Number(digits(g.amount ?? '').replace(/^-/, ''));
      if (!date || !Number.isFinite(amount) || amount <= 0) continue;
      const named = g.merchant?.trim() || null;
      const merchant = named && !template.noMerchant.includes(named) ? named : null;
      const kind = g.kind ?? '';
      charges.push({
        date,
        amount,
        merchant,
        cancellation: layout.cancellation || /取消|返品/u.test(kind),
      });
    }
    if (charges.length)
      return {
        template: template.id,
        issuer: template.issuer,
        layout: layout.id,
        currency: template.currency,
        uncertain: template.status === 'uncertain' || layout.status === 'uncertain',
        charges,
      };
  }
  return null;
}
