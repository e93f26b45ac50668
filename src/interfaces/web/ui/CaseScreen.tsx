/**
 * 「わたしのケース」: the timeline, the steps, the evidence, the receipt numbers; downloads (the report for each
 * reader, printed to PDF with print CSS, or as HTML; the charges as CSV; the cut-offs as .ics); one file to move
 * the case to the other mode or the CLI.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { audiences, type Audience } from '#core/report/report.ts';
import { call } from '../engine/client.ts';
import { Scripts, StepCard } from './plan-parts.tsx';
import { markDone } from './Home.tsx';
import { ReportView } from './ReportView.tsx';
import { download, type Shared } from './state.ts';

/** Dates (the day noticed) and instants (a step done) on one local clock, so the timeline reads in order. */
const localKey = (at: string) =>
  at.length > 10 ? new Date(at).toLocaleString('sv-SE').replace(' ', 'T') : `${at}T00:00:00`;

export function CaseScreen({ s }: { s: Shared }) {
  const { t } = useTranslation();
  const v = s.caseView;
  const [audience, setAudience] = useState<Audience>('card');
  const [report, setReport] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [transferOk, setTransferOk] = useState<boolean | null>(null);

  useEffect(() => {
    if (!v) return;
    let live = true;
    void call('report', { id: v.case.id, audience, format: 'md', lang: s.lang }).then(
      (text) => live && setReport(text),
      () => live && setReport(null),
    );
    return () => {
      live = false;
    };
  }, [v, audience, s.lang]);

  useEffect(() => {
    void call('export', {}).then(
      (x) => setTransferOk(x !== null),
      () => setTransferOk(false),
    );
  }, []);

  if (!v)
    return (
      <section>
        <h1>{t('web.case.title')}</h1>
        <p className="lead">{t('web.case.none')}</p>
        <div className="row">
          <a className="btn btn-primary" href="#/">
            {t('web.plan.to-first')}
          </a>
        </div>
        {transferOk && <ImportBox s={s} />}
      </section>
    );

  const c = v.case;
  const receipts = [
    ...Object.entries(c.steps)
      .filter(([, r]) => r.receipt)
      .map(([id, r]) => ({
        what: v.plan.plan.steps.find((x) => x.id === id)?.title ?? id,
        receipt: r.receipt!,
        at: r.at,
      })),
    ...v.events
      .filter((e) => e.receipt)
      .map((e) => ({ what: t(`event.${e.kind}`), receipt: e.receipt!, at: e.at })),
  ];
  const timeline = [
    ...v.events.map((e) => ({ at: e.at, text: t(`event.${e.kind}`) + (e.note ? `：${e.note}` : '') })),
    ...Object.entries(c.steps).map(([id, r]) => ({
      at: r.at,
      text: `${t(`status.${r.status}`)}：${v.plan.plan.steps.find((x) => x.id === id)?.title ?? id}`,
    })),
  ].sort((a, b) => localKey(a.at).localeCompare(localKey(b.at)));
  const fmt = (at: string) =>
    at.length > 10 ? new Date(at).toLocaleString(s.lang === 'ja' ? 'ja-JP' : 'en-GB') : at;

  return (
    <section aria-labelledby="case-title">
      <h1 id="case-title">
        {t('web.case.title')} <span className="mono small">{c.id}</span>
      </h1>
      <p className="lead">{c.situations.map((x) => t(`situation.${x}`)).join('、')}</p>

      <h2>{t('web.case.timeline')}</h2>
      <ol className="timeline">
        {timeline.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{fmt(e.at)}</time> {e.text}
          </li>
        ))}
      </ol>

      <h2>{t('web.case.receipts')}</h2>
      {receipts.length ? (
        <table className="receipts">
          <thead>
            <tr>
              <th scope="col">{t('web.case.col.what')}</th>
              <th scope="col">{t('web.plan.receipt')}</th>
              <th scope="col">{t('web.case.col.at')}</th>
            </tr>
          </thead>
          <tbody>
            {receipts.map((r, i) => (
              <tr key={i}>
                <td>{r.what}</td>
                <td className="mono">{r.receipt}</td>
                <td>{fmt(r.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="note">{t('web.case.no-receipts')}</p>
      )}

      <h2>{t('web.case.evidence')}</h2>
      <p>{t('web.case.mails', { count: c.mails.length })}</p>
      <ul>
        {c.mails.map((m, i) => (
          <li key={i}>
            {t(`verdict.${m.verdict}`)} — {m.subject || m.source}
            {m.site && (
              <>
                {' '}
                （{t('web.case.site')}{' '}
                <span className="mono">{m.site.replace(/^http/i, 'hxxp').replace(/\./g, '[.]')}</span>）
              </>
            )}
          </li>
        ))}
      </ul>
      <p>{t('web.case.charges', { count: c.charges.length })}</p>
      <ul>
        {c.charges.map((x, i) => (
          <li key={i}>
            {x.date} {x.description} {x.amount.toLocaleString()} {x.currency} — {t(`category.${x.category}`)}
          </li>
        ))}
      </ul>

      <h2>{t('web.case.steps')}</h2>
      <ol className="steps">
        {v.plan.plan.steps.map((step) => (
          <StepCard
            key={step.id}
            step={step}
            first={step.n === 1}
            full={false}
            record={c.steps[step.id]}
            onDone={(id, receipt) => markDone(s, id, receipt)}
          />
        ))}
      </ol>
      <Scripts plan={v.plan} />

      <h2 className="no-print">{t('web.case.downloads')}</h2>
      <div className="no-print">
        <label htmlFor="audience">{t('web.case.audience')}</label>
        <select id="audience" value={audience} onChange={(e) => setAudience(e.target.value as Audience)}>
          {audiences.map((a) => (
            <option key={a} value={a}>
              {t(`web.audience.${a}`)}
            </option>
          ))}
        </select>
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={() => window.print()}>
            {t('web.case.print')}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={async () =>
              download(
                `${c.id}-${audience}.html`,
                await call('report', { id: c.id, audience, format: 'html', lang: s.lang }),
                'text/html',
              )
            }
          >
            {t('web.case.html')}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={async () =>
              download(
                `${c.id}-charges.csv`,
                await call('report', { id: c.id, audience, format: 'csv', lang: s.lang }),
                'text/csv',
              )
            }
          >
            {t('web.case.csv')}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={async () =>
              download(`${c.id}.ics`, await call('ics', { id: c.id, lang: s.lang }), 'text/calendar')
            }
          >
            {t('web.case.ics')}
          </button>
          {transferOk && (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={async () => {
                const doc = await call('export', { caseId: c.id });
                if (doc) download(`${c.id}.mamori.json`, doc, 'application/json');
              }}
            >
              {t('web.case.export')}
            </button>
          )}
        </div>
        {note && <p role="status">{note}</p>}
        {transferOk && <ImportBox s={s} onDone={setNote} />}
      </div>
      {report && (
        <section className="report print-large" aria-labelledby="report-title">
          <h2 id="report-title">{t('web.case.report', { who: t(`web.audience.${audience}`) })}</h2>
          <ReportView markdown={report} />
        </section>
      )}
    </section>
  );
}

function ImportBox({ s, onDone }: { s: Shared; onDone?: (m: string) => void }) {
  const { t } = useTranslation();
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <p>
      <label htmlFor="import-file">{t('web.case.import')}</label>
      <input
        id="import-file"
        type="file"
        accept=".json,application/json"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          const r = await call('import', { text: await f.text() });
          const m = r.ok ? t('web.case.imported') : t('web.case.import-failed', { reason: t(r.error ?? '') });
          setMsg(m);
          onDone?.(m);
          if (r.ok) {
            const init = await call('init', { lang: s.lang });
            if (init.currentCase)
              s.setCaseView(await call('get-case', { id: init.currentCase, lang: s.lang }));
          }
        }}
      />
      {msg && <span role="status"> {msg}</span>}
    </p>
  );
}
