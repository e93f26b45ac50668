import type { Plan } from '#core/plan/plan.ts';

const esc = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
const day = (d: string) => d.replace(/-/g, '');

/** Folds content lines at 75 octets, as RFC 5545 requires (multi-byte characters are never split). */
function fold(line: string): string {
  const enc = new TextEncoder();
  const out: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (enc.encode(cur + ch).length > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
  }
  out.push(cur);
  return out.join('\r\n ');
}

/**
 * A calendar file with each deadline of the plan (an all-day event with an alarm two days before) and a monthly
 * reminder to review the card statement, because fraud is found late when statements go unread.
 */
export function buildIcs(
  caseId: string,
  plan: Plan,
  now: string,
  texts: { deadlinePrefix: string; reviewTitle: string; reviewBody: string },
): string {
  const stamp = now.replace(/[-:]/g, '').replace(/\.\d+/, '').slice(0, 15) + 'Z';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//mamori//case reminders//JA',
    'CALSCALE:GREGORIAN',
  ];
  for (const s of plan.steps.filter((x) => x.deadline)) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${caseId}-${s.id}@mamori.local`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${day(s.deadline!)}`,
      `SUMMARY:${esc(`${texts.deadlinePrefix}${s.title}`)}`,
      `DESCRIPTION:${esc(`${s.how}\n${s.deadlineRule ?? ''}`)}`,
      'BEGIN:VALARM',
      'TRIGGER:-P2D',
      'ACTION:DISPLAY',
      `DESCRIPTION:${esc(s.title)}`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  const first = now.slice(0, 8) + '01';
  lines.push(
    'BEGIN:VEVENT',
    `UID:${caseId}-statement-review@mamori.local`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${day(first)}`,
    'RRULE:FREQ=MONTHLY;COUNT=12',
    `SUMMARY:${esc(texts.reviewTitle)}`,
    `DESCRIPTION:${esc(texts.reviewBody)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  );
  return lines.map(fold).join('\r\n') + '\r\n';
}
