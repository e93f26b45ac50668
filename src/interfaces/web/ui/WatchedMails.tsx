/**
 * Served mode, in the check flow: the mails the watcher read (`mamori watch`), each with the verdict it was given.
 * The watcher keeps no mail body, so the list shows what it stored: date, sender, subject, verdict, and for a
 * phishing or suspicious mail the evidence the check gave, opened with 「詳しく」.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WatchAlert, WatchEvent } from '#core/ports/watch.ts';
import { call } from '../engine/client.ts';
import { sentenceParams } from '../i18n.ts';
import type { Shared } from './state.ts';

export function WatchedMails({ s }: { s: Shared }) {
  const { t } = useTranslation();
  const [data, setData] = useState<{ events: WatchEvent[]; alerts: WatchAlert[] } | null>(null);
  useEffect(() => {
    if (s.mode === 'served') void call('watch-events', {}).then(setData);
  }, [s.mode]);
  if (s.mode !== 'served') return null;
  const checked = (data?.events ?? []).filter((e) => e.verdict !== null).reverse();
  const alertOf = new Map((data?.alerts ?? []).map((a) => [a.eventId, a]));
  return (
    <details className="watched" data-watched={checked.length}>
      <summary>{t('web.watched.title')}</summary>
      {data !== null && checked.length === 0 && <p>{t('web.watched.none')}</p>}
      <ul className="watched-list">
        {checked.slice(0, 50).map((e) => {
          const a = alertOf.get(e.id);
          const from = e.checked?.from ?? (a && typeof a.params.from === 'string' ? a.params.from : null);
          const findings = e.checked?.findings ?? [];
          return (
            <li key={e.id} data-event={e.id} data-verdict={e.verdict ?? ''}>
              <p className="watched-head">
                <span className={`verdict-tag v-${e.verdict ?? 'none'}`}>
                  {t(`verdict.${e.verdict}`, { defaultValue: e.verdict ?? '' })}
                </span>{' '}
                <time dateTime={e.at}>
                  {new Date(e.at).toLocaleString(s.lang === 'ja' ? 'ja-JP' : 'en-GB')}
                </time>
              </p>
              <p className="watched-subject">{e.subject || t('web.watched.no-subject')}</p>
              <p className="watched-from">
                {t('web.watched.from')}: {from ?? t('web.watched.from-unknown')}
              </p>
              {findings.length > 0 ? (
                <details className="watched-details">
                  <summary>{t('web.check.details')}</summary>
                  <ul className="findings">
                    {findings.map((f, i) => (
                      <li key={`${f.id}-${i}`} data-finding={f.id} className={`sev-${f.severity}`}>
                        <strong>
                          <span className="sev">{t(`web.severity.${f.severity}`)}</span>
                          {t(`${f.id}.title`, {
                            ns: 'findings',
                            defaultValue: f.id,
                            ...sentenceParams(f.params, s.lang),
                          })}
                        </strong>
                        <span>
                          {t(`${f.id}.detail`, {
                            ns: 'findings',
                            defaultValue: '',
                            ...sentenceParams(f.params, s.lang),
                          })}
                        </span>
                      </li>
                    ))}
                  </ul>
                </details>
              ) : (
                a &&
                a.evidence.length > 0 && (
                  <ul className="evidence">
                    {a.evidence.map((id) => (
                      <li key={id}>{t(`${id}.title`, { ns: 'findings', defaultValue: id })}</li>
                    ))}
                  </ul>
                )
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
