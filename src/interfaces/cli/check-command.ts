import { readInputs } from '#adapters/input/mail-input.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { checkMessage, type CheckOptions, type Verdict } from '#core/check/index.ts';
import type { Translator } from '#interfaces/i18n.ts';
import { renderCheck } from './render-check.ts';

export interface CheckCommandOptions {
  json: boolean;
  check: CheckOptions;
  /** Rewrites a message before it is judged (online verification adds fresh authentication results). */
  prepare?: (bytes: Uint8Array) => Promise<Uint8Array>;
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
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
  for await (const item of readInputs(inputs, knowledge.scoring.limits)) {
    if ('skipped' in item) {
      io.err(t.t(`input.skipped.${item.skipped}`, { source: item.source }));
      continue;
    }
    if ('error' in item) {
      unreadable++;
      io.err(t.t(`error.${item.error}`, { source: item.source, detail: item.detail }));
      continue;
    }
    const bytes = opts.prepare ? await opts.prepare(item.bytes) : item.bytes;
    const outcome = await checkMessage(bytes, knowledge, opts.check);
    if (!outcome.ok) {
      unreadable++;
      io.err(t.t(`error.${outcome.problem.code}`, { source: item.source, ...outcome.problem }));
      continue;
    }
    const r = outcome.result;
    total++;
    counts[r.verdict]++;
    if (opts.json) {
      io.out(
        JSON.stringify({
          source: item.source,
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
        }),
      );
    } else {
      io.out(renderCheck(item.source, r, t, knowledge) + '\n');
    }
  }
  if (!opts.json && total + unreadable > 1) {
    io.out(t.t('cli.checked', { count: total, ...counts }));
    if (unreadable) io.out(t.t('cli.unreadable', { count: unreadable }));
  }
  return unreadable > 0 ? 1 : 0;
}
