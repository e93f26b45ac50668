import type { NoticeCharge, NoticeKnowledge, NoticeTemplate, ParsedNotice } from './types.ts';

// A notice is a few hundred bytes of labels; anything beyond this is not read (hostile input is bounded).
const MAX_TEXT = 64 * 1024;
const MAX_CHARGES = 50;

const digits = (s: string) => s.normalize('NFKC').replace(/[,\s]/g, '');

function isoDate(raw: string): string | null {
  const m = /(\d{4})\D+(\d{1,2})\D+(\d{1,2})/u.exec(raw.normalize('NFKC'));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
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

/** The charges one notice text reports by the template's layouts (the first layout that finds any wins). */
export function parseNoticeText(text: string, template: NoticeTemplate): ParsedNotice | null {
  const body = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  if (template.ignore.some((s) => body.includes(s))) return null;
  for (const layout of template.layouts) {
    const re = new RegExp(layout.pattern, 'gu');
    const charges: NoticeCharge[] = [];
    for (const m of body.matchAll(re)) {
      if (charges.length >= MAX_CHARGES) break;
      const g = m.groups ?? {};
      const date = isoDate(g.date ?? '');
      const amount = Number(digits(g.amount ?? '').replace(/^-/, ''));
      if (!date || !Number.isFinite(amount) || amount <= 0) continue;
      const merchant = g.merchant?.trim() || null;
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
