/**
 * 「身に覚えのない請求」: first the text of Amazon's own pages pasted (PasteBox: tonight, without the export), then the
 * card statement CSV, and the Amazon export if there is one (optional; asking Amazon for it takes hours to days). Every charge with its category, risk, matched order and reason; totals by
 * category; the timeline chart; ticked rows go into my case.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExplainedCharge } from '#core/reconcile/reconcile.ts';
import { call } from '../engine/client.ts';
import type { Progress, ReconcileView } from '../engine/protocol.ts';
import { ChargeChart, isSuspicious } from './Chart.tsx';
import { PasteBox } from './PasteBox.tsx';
import { fileBytes, money, type Shared } from './state.ts';
import sampleExport from 'mamori-samples/ledger/amazon-export.zip?url';
import sampleStatement from 'mamori-samples/ledger/vpass.csv?url';

const MAX_FILE = 300 * 1024 * 1024;
const FIRST_ROWS = 200;
const MORE_ROWS = 400;

const issuers = ['vpass', 'rakuten', 'jcb', 'amex', 'saison', 'epos', 'view', 'paypay', 'us'] as const;

/** The charge's reasons as the CLI words them (`ledger.<finding id>`), the category's help when there is none. */
function reasonOf(
  c: ExplainedCharge,
  t: (k: string, o?: Record<string, unknown>) => string,
  lang: string,
): string {
  const shown = c.findings.filter((f) => f.severity !== 'info' || f.id.startsWith('match.')).slice(0, 3);
  if (!shown.length) return t(`category.${c.category}.help`);
  return shown
    .map((f) => {
      const amounts = Object.fromEntries(
        ['covered', 'giftCard'].flatMap((k) =>
          typeof f.params[k] === 'number' ? [[k, money(f.params[k], c.currency, lang)]] : [],
        ),
      );
      return t(`ledger.${f.id}`, { ...f.params, ...amounts, evidence: f.evidence });
    })
    .join(' ／ ');
}

export function ChargesScreen({ s }: { s: Shared }) {
  const { t } = useTranslation();
  const [statements, setStatements] = useState<File[]>([]);
  const [exports, setExports] = useState<File[]>([]);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [view, setView] = useState<ReconcileView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [added, setAdded] = useState<number | null>(null);
  // A big statement's rows appear in steps, so the first ones are on screen at once and the page stays responsive.
  const [shown, setShown] = useState(FIRST_ROWS);
  const total = view?.result?.charges.length ?? 0;
  useEffect(() => {
    if (shown >= total) return;
    const id = setTimeout(() => setShown((n) => n + MORE_ROWS), 16);
    return () => clearTimeout(id);
  }, [shown, total]);

  /**
   * Imports the files and reconciles everything stored. `quiet`: after a paste, a store without charges yet shows
   * no result (the paste box says to pick the statement next); true when charges are on screen.
   */
  const run = async (files: { name: string; bytes: Uint8Array }[], quiet = false): Promise<boolean> => {
    setError(null);
    setAdded(null);
    setView(null);
    setProgress({ phase: 'read', done: 0, total: 1 });
    try {
      const v = await call('reconcile', { files }, setProgress);
      const charges = v.result?.charges ?? [];
      if (quiet && !charges.length && v.outcomes.every((o) => o.ok)) return false;
      setShown(FIRST_ROWS);
      setView(v);
      setTicked(new Set(charges.filter(isSuspicious).map((c) => c.key)));
      return charges.length > 0;
    } catch (e) {
      setError(t(e instanceof Error ? e.message : 'web.error.engine'));
      return false;
    } finally {
      setProgress(null);
    }
  };

  /** The files picked so far, or null (with the reason on screen) when one is too large. */
  const picked = async () => {
    const all = [...statements, ...exports];
    if (all.some((f) => f.size > MAX_FILE)) {
      setError(t('web.charges.too-large'));
      return null;
    }
    return Promise.all(all.map(async (f) => ({ name: f.name, bytes: await fileBytes(f) })));
  };

  const start = async () => {
    if (!statements.length) return setError(t('web.charges.need-statement'));
    const files = await picked();
    if (files) void run(files);
  };

  const sample = async () => {
    const get = async (url: string, name: string) => ({
      name,
      bytes: new Uint8Array(await (await fetch(url)).arrayBuffer()),
    });
    void run(await Promise.all([get(sampleExport, 'amazon-export.zip'), get(sampleStatement, 'vpass.csv')]));
  };

  const onDrop = (files: FileList) => {
    for (const f of files) {
      if (/\.zip$/i.test(f.name) || /order|retail|digital/i.test(f.name)) setExports((x) => [...x, f]);
      else setStatements((x) => [...x, f]);
    }
  };

  const r = view?.result;
  const problems = (view?.outcomes ?? []).filter((o) => !o.ok);
  return (
    <section aria-labelledby="charges-title">
      <h1 id="charges-title">{t('web.charges.title')}</h1>
      <PasteBox
        s={s}
        busy={!!progress}
        matched={!!view?.result?.charges.length}
        onStored={async () => {
          const files = await picked();
          return files ? run(files, true) : false;
        }}
        onStatement={(file) => {
          void picked().then((files) => files && run([file, ...files]));
        }}
      />
      <h2>{t('web.paste.files-title')}</h2>
      <p className="lead">{t('web.charges.lead')}</p>
      <div
        className="drop"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          onDrop(e.dataTransfer.files);
        }}
        data-testid="charges-drop"
      >
        <p>
          <label htmlFor="statement-file" className="big-label">
            {t('web.charges.statement-label')}
          </label>
          <input
            id="statement-file"
            type="file"
            multiple
            accept=".csv,.txt,.ofx,text/csv"
            onChange={(e) => setStatements([...(e.target.files ?? [])])}
          />
        </p>
        <p>
          <label htmlFor="export-file" className="big-label">
            {t('web.charges.export-label')}
          </label>
          <span className="note">{t('web.charges.export-optional')}</span>
          <input
            id="export-file"
            type="file"
            multiple
            accept=".zip,.csv"
            onChange={(e) => setExports([...(e.target.files ?? [])])}
          />
        </p>
        <p className="note">{t('web.charges.drop-hint')}</p>
      </div>
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={!!progress}>
          {t('web.charges.run')}
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void sample()}
          disabled={!!progress}
        >
          {t('web.charges.sample')}
        </button>
      </div>
      {progress && (
        <div className="progress" role="status">
          <label htmlFor="import-progress">
            {progress.phase === 'match'
              ? t('web.charges.matching')
              : t('web.charges.reading', { file: progress.file ?? '' })}
          </label>
          <progress
            id="import-progress"
            max={progress.total || 1}
            value={progress.phase === 'match' && progress.done === 0 ? undefined : progress.done}
          />
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {problems.map((o, i) => (
        <p key={i} className="error" role="alert">
          {!o.ok && t('web.charges.problem', { file: o.file, code: t(`web.import.${o.problem.code}`) })}
        </p>
      ))}
      {view && !r && !problems.length && <p className="note">{t('web.charges.nothing')}</p>}
      {r && (
        <>
          <h2>{t('web.charges.summary')}</h2>
          {r.summary.noOrderData && <p className="note">{t('web.charges.no-order-data')}</p>}
          <table className="totals">
            <caption className="sr-only">{t('web.charges.totals')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('web.charges.col.category')}</th>
                <th scope="col">{t('web.charges.col.count')}</th>
                <th scope="col">{t('web.charges.col.total')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(r.summary.byCategory).map(([cat, v]) => (
                <tr key={cat}>
                  <th scope="row">{t(`category.${cat}`)}</th>
                  <td className="num">{v!.count}</td>
                  <td className="num">{money(v!.total, r.charges[0]?.currency ?? 'JPY', s.lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ChargeChart charges={r.charges} />
          <h2>{t('web.charges.table')}</h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('web.charges.table')}>
            <table className="charges" data-testid="charges-table">
              <thead>
                <tr>
                  <th scope="col">{t('web.charges.col.pick')}</th>
                  <th scope="col">{t('web.charges.col.date')}</th>
                  <th scope="col">{t('web.charges.col.description')}</th>
                  <th scope="col">{t('web.charges.col.amount')}</th>
                  <th scope="col">{t('web.charges.col.category')}</th>
                  <th scope="col">{t('web.charges.col.risk')}</th>
                  <th scope="col">{t('web.charges.col.order')}</th>
                  <th scope="col">{t('web.charges.col.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {r.charges.slice(0, shown).map((c) => {
                  const bad = isSuspicious(c);
                  return (
                    <tr key={c.key} className={bad ? 'row-bad' : ''} data-category={c.category}>
                      <td data-label={t('web.charges.col.pick')}>
                        {bad && (
                          <input
                            type="checkbox"
                            aria-label={t('web.charges.pick-row', {
                              date: c.date,
                              description: c.description,
                            })}
                            checked={ticked.has(c.key)}
                            onChange={(e) => {
                              const next = new Set(ticked);
                              if (e.target.checked) next.add(c.key);
                              else next.delete(c.key);
                              setTicked(next);
                            }}
                          />
                        )}
                      </td>
                      <td data-label={t('web.charges.col.date')} className="nowrap">
                        {c.date}
                      </td>
                      <td data-label={t('web.charges.col.description')}>{c.description}</td>
                      <td data-label={t('web.charges.col.amount')} className="num">
                        {money(c.amount, c.currency, s.lang)}
                      </td>
                      <td data-label={t('web.charges.col.category')}>
                        {bad && <span aria-hidden="true">⚠ </span>}
                        {t(`category.${c.category}`)}
                      </td>
                      <td data-label={t('web.charges.col.risk')}>
                        {c.risk ? t(`risk.${c.risk}`) : t('risk.unverified')}
                      </td>
                      <td data-label={t('web.charges.col.order')} className="mono small">
                        {c.orderIds.join(', ') || '—'}
                      </td>
                      <td data-label={t('web.charges.col.reason')}>{reasonOf(c, t, s.lang)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!ticked.size}
              onClick={async () => {
                try {
                  const v = await s.ensureCase();
                  const out = await call('add-charges', { id: v.case.id, keys: [...ticked], lang: s.lang });
                  s.setCaseView(out);
                  setAdded(out.added);
                  if (!s.situations.includes('unknown-charge'))
                    s.setSituations([...s.situations, 'unknown-charge']);
                } catch (e) {
                  setError(t(e instanceof Error ? e.message : 'web.error.engine'));
                }
              }}
            >
              {t('web.charges.add', { count: ticked.size })}
            </button>
            {added !== null && (
              <p role="status">
                {t('web.charges.added', { count: added })} <a href="#/case">{t('web.nav.case')}</a>
              </p>
            )}
          </div>
        </>
      )}
      <details className="howto">
        <summary>{t('web.charges.howto')}</summary>
        <p className="note">{t('web.charges.howto-uncertain')}</p>
        <ul>
          {issuers.map((k) => (
            <li key={k}>{t(`web.issuer.${k}`)}</li>
          ))}
          <li>{t('web.issuer.amazon')}</li>
        </ul>
      </details>
    </section>
  );
}
