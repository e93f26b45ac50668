/**
 * 「予防チェック」: the Amazon settings to change, each with where to find it, and an optional password meter that
 * scores in this browser (zxcvbn in the engine worker) and never sends or stores what is typed.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PasswordVerdict } from '#core/case/checkup.ts';
import { checkupItems } from '#core/app/run-checkup.ts';
import { call } from '../engine/client.ts';
import type { Shared } from './state.ts';

export function PreventScreen({ s }: { s: Shared }) {
  const { t } = useTranslation();
  const [pw, setPw] = useState('');
  const [verdict, setVerdict] = useState<PasswordVerdict | null>(null);
  useEffect(() => {
    if (!pw) return setVerdict(null);
    let live = true;
    const timer = setTimeout(() => {
      void call('password', { password: pw, lang: s.lang }).then((v) => live && setVerdict(v));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [pw, s.lang]);
  return (
    <section aria-labelledby="prevent-title">
      <h1 id="prevent-title">{t('web.prevent.title')}</h1>
      <p className="lead">{t('web.prevent.lead')}</p>
      <ol className="steps">
        {checkupItems.map((k) => (
          <li key={k} className="step">
            <h3>{t(`checkup.item.${k}`)}</h3>
            <p>
              <strong>{t('web.prevent.where')}：</strong>
              {t(`checkup.advice.${k}`)}
            </p>
          </li>
        ))}
      </ol>
      <section className="meter" aria-labelledby="meter-title">
        <h2 id="meter-title">{t('web.prevent.meter.title')}</h2>
        <p className="warn-box">{t('web.prevent.meter.warning')}</p>
        <label htmlFor="pw-try">{t('web.prevent.meter.label')}</label>
        <input
          id="pw-try"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={pw}
          onChange={(e) => setPw(e.target.value)}
        />
        {verdict && (
          <div role="status" className="meter-out">
            <meter
              min={0}
              max={4}
              low={2}
              high={3}
              optimum={4}
              value={verdict.score}
              aria-label={t('checkup.score', { score: verdict.score })}
            />
            <p>
              <strong>{t('checkup.score', { score: verdict.score })}</strong> —{' '}
              {t(`web.prevent.meter.score${verdict.score}`)}
            </p>
            <ul>
              {verdict.flags.map((f) => (
                <li key={f}>{t(`checkup.flag.${f}`)}</li>
              ))}
              {verdict.warning && <li>{verdict.warning}</li>}
            </ul>
          </div>
        )}
        <p className="note">{t('web.prevent.meter.never')}</p>
      </section>
    </section>
  );
}
