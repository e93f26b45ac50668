/**
 * The watcher's alerts (served mode): what happened, the evidence, the first step of the plan, each shown once
 * (marked shown when this screen shows it) and dismissable. From an alert, one tap opens its plan or puts it into
 * the case. In static mode the watcher is not here: the screen says where it runs.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Situation } from '#core/knowledge/constants.ts';
import { call } from '../engine/client.ts';
import type { AlertView } from '../engine/protocol.ts';
import type { Shared } from './state.ts';

export interface AlertsState {
  list: AlertView[] | null;
  /** Not yet seen on this screen: not shown in the store, or arrived while the page was open. */
  isNew(a: AlertView): boolean;
  refresh(): void;
  /** This screen showed these: no longer new here. */
  viewed(ids: string[]): void;
}

export function AlertsScreen({ s, alerts }: { s: Shared; alerts: AlertsState }) {
  const { t } = useTranslation();
  const list = alerts.list;

  // Shown once: what this screen shows is marked shown in the store (the stream then sends the new state).
  const fresh = (list ?? []).filter((a) => alerts.isNew(a)).map((a) => a.alert.id);
  const key = fresh.join(',');
  const { viewed } = alerts;
  useEffect(() => {
    if (!key) return;
    const ids = key.split(',');
    // Marked shown in the store as soon as it is on screen; the "new" mark stays until the person leaves here.
    void call('alerts-shown', { ids });
    return () => viewed(ids);
  }, [key, viewed]);

  if (s.mode !== 'served')
    return (
      <section className="alerts" aria-labelledby="alerts-h">
        <h1 id="alerts-h">{t('web.alerts.title')}</h1>
        <p className="static-note" data-alerts="static">
          {t('web.alerts.static')}
        </p>
        <pre className="command">mamori serve</pre>
        <pre className="command">mamori watch --preset gmail --user you@example.com</pre>
      </section>
    );

  const openPlan = (sit: Situation[]) => {
    s.setSituations([...new Set([...s.situations, ...sit])]);
    s.go('plan');
  };
  const intoCase = async (sit: Situation[]) => {
    const all = [...new Set([...s.situations, ...sit])];
    if (s.caseView) s.setSituations(all);
    else {
      const v = await call('ensure-case', {
        situations: all,
        lang: s.lang,
        title: t('web.case.default-title'),
      });
      s.setCaseView(v);
      s.setSituations(all);
    }
    s.go('case');
  };
  const dismiss = async (id: string) => {
    await call('dismiss-alert', { id });
    alerts.refresh();
  };

  return (
    <section className="alerts" aria-labelledby="alerts-h" aria-busy={list === null}>
      <h1 id="alerts-h">{t('web.alerts.title')}</h1>
      <p>{t('web.alerts.intro')}</p>
      {list !== null && list.length === 0 && <p data-alerts="none">{t('watch.no-alerts')}</p>}
      <ul className="alert-list">
        {(list ?? []).map(({ alert: a, firstStep, brand }) => (
          <li key={a.id} className="alert-card" data-alert={a.id} data-kind={a.kind}>
            {fresh.includes(a.id) && <span className="new-mark">{t('web.alerts.new')}</span>}
            <p className="alert-what" role="alert">
              {t(`watch.alert.${a.kind}`, a.params)}
            </p>
            <p className="alert-at">{new Date(a.at).toLocaleString(s.lang === 'ja' ? 'ja-JP' : 'en-GB')}</p>
            {a.evidence.length > 0 && (
              <details>
                <summary>{t('watch.label.evidence')}</summary>
                <ul className="evidence">
                  {a.evidence.map((e) => (
                    <li key={e} data-evidence={e}>
                      {t(`${e}.title`, { ns: 'findings', defaultValue: e, brand: brand ?? '—' })}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {firstStep && (
              <p className="alert-first">
                <strong>{t('watch.label.first-step')}：</strong>
                {firstStep}
              </p>
            )}
            <div className="alert-actions">
              {a.situations.length > 0 && (
                <button type="button" className="btn btn-primary" onClick={() => openPlan(a.situations)}>
                  {t('web.alerts.open-plan')}
                </button>
              )}
              <button type="button" className="btn btn-secondary" onClick={() => void intoCase(a.situations)}>
                {t('web.alerts.into-case')}
              </button>
              <button type="button" className="btn btn-secondary" onClick={() => void dismiss(a.id)}>
                {t('web.alerts.dismiss')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <p>
        <a href="#/watch">{t('web.watch.link')}</a>
      </p>
    </section>
  );
}
