import { pathMailSource } from '#adapters/input/mail-source.ts';
import { stderrNotifier } from '#adapters/notify/stderr-notifier.ts';
import { checkMail } from '#core/app/check-mail.ts';
import type { CheckOptions, Verdict } from '#core/check/index.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import type { Region } from '#core/plan/plan.ts';
import type { Translator } from '#interfaces/i18n.ts';
import { mailProblemText, sourceLabel } from './messages.ts';
import { renderCheck } from './render-check.ts';

export interface CheckCommandOptions {
  json: boolean;
  /** Human output also shows each finding's rule id. */
  detail?: boolean;
  check: CheckOptions;
  /** The person's region: which public reporting routes the advice names (never the mail's brand). */
  region?: Region;
  /** Rewrites a message before it is judged (online verification adds fresh authentication results). */
  prepare?: (bytes: Uint8Array) => Promise<Uint8Array>;
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Text as it is, no line break added: long output written in pieces (`out` of the pieces joined, otherwise). */
  write?(s: string): void;
}

/** Checks every input; returns 1 if any input could not be read, else 0 (whatever the verdicts). */
export async function runCheck(
  inputs: string[],
  knowledge: Knowledge,
  t: Translator,
  opts: CheckCommandOptions,
  io: Io,
): Promise<number> {
  const counts: Record<Verdict, number> = { phishing: 0, suspicious: 0, legitimate: 0, unrelated: 0 };
  let unreadable = 0;
  let total = 0;
  const source = pathMailSource(
    inputs,
    knowledge.scoring.limits,
    stderrNotifier((k, p) => t.t(k, p), io.err),
  );
  for await (const o of checkMail(source, { knowledge, options: opts.check, prepare: opts.prepare })) {
    if (!o.ok) {
      unreadable++;
      io.err(mailProblemText(t, o.problem, sourceLabel(t, o.label)));
      continue;
    }
    const r = o.result;
    total++;
    counts[r.verdict]++;
    if (opts.json) {
      io.out(
        JSON.stringify({
          source: o.label,
          verdict: r.verdict,
          brand: r.brand,
          score: r.score,
          findings: r.findings,
          links: r.links.map((l) => ({
            kind: l.kind,
            text: l.text,
            target: l.target,
            domain: l.domain,
            own: l.own,
          })),
          headerless: r.headerless,
          orderIds: r.orderIds,
          notice: r.notice,
          noticeKind: r.noticeKind,
          headline: r.headline,
          suggestedSituations: r.suggestedSituations,
          // A picture's check: read by OCR; what was read, with its confidence, to compare with the picture.
          ...(r.picture ? { picture: r.picture } : {}),
        }),
      );
    } else {
      io.out(
        renderCheck(sourceLabel(t, o.label), r, t, knowledge, opts.region ?? 'jp', {
          detail: opts.detail === true,
        }) + '\n',
      );
    }
  }
  if (!opts.json && total + unreadable > 1) {
    io.out(t.t('cli.checked', { count: total, ...counts }));
    if (unreadable) io.out(t.t('cli.unreadable', { count: unreadable }));
  }
  return unreadable > 0 ? 1 : 0;
}
