/** How one plan step is shown: on the first screen (今夜やること) and in the full checklist. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanWithScripts } from '#core/app/plan-for.ts';
import type { CaseRecord } from '#core/case/case.ts';
import type { PlanStep, RouteStatus } from '#core/plan/plan.ts';
import type { TFunction } from 'i18next';

export function routeText(r: RouteStatus, t: TFunction): { text: string; open: boolean } {
  const hours = r.uncertain ? t('plan.route.uncertain') : '';
  if (r.always) return { text: t('plan.route.always'), open: true };
  if (r.open) return { text: t('plan.route.open') + hours, open: true };
  if (!r.opens || !r.day) return { text: t('plan.route.closed') + hours, open: false };
  return {
    text:
      t(`plan.route.${r.day}`, {
        time: r.opens.slice(11, 16),
        date: r.opens.slice(5, 10).replace('-', '/'),
        weekday: t(`weekday.${r.weekday}`),
      }) + hours,
    open: false,
  };
}

function basisText(s: PlanStep, t: TFunction): string {
  const b = s.deadlineBasis!;
  return t(`plan.basis.${b.from}${b.business ? '-business' : ''}`, { date: b.date, days: b.days });
}

export function StepCard(props: {
  step: PlanStep;
  record: CaseRecord['steps'][string] | undefined;
  first: boolean;
  full: boolean;
  onDone(step: string, receipt: string): Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const { step: s, record } = props;
  const [receipt, setReceipt] = useState(record?.receipt ?? '');
  const [busy, setBusy] = useState(false);
  const done = record?.status === 'done';
  const route = s.route ? routeText(s.route, t) : null;
  const doneAt = record?.at
    ? new Date(record.at).toLocaleString(i18n.language === 'ja' ? 'ja-JP' : 'en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
      })
    : '';
  const receiptId = `receipt-${s.id}`;
  return (
    <li className={`step${props.first ? ' step-first' : ''}${done ? ' step-done' : ''}`} data-step={s.id}>
      <div className="step-head">
        <span className="step-n" aria-hidden="true">
          {s.n}
        </span>
        <h3>
          {props.first && <span className="badge badge-danger">{t('web.plan.most-harmful')}</span>}
          {s.title}
        </h3>
      </div>
      <p className="tags">
        <span className="tag">{t(`who.${s.who}`)}</span>
        <span className="tag">{t(`plan.when.${s.when}`)}</span>
        {route && <span className={`tag ${route.open ? 'tag-open' : 'tag-closed'}`}>{route.text}</span>}
      </p>
      <p>
        <strong>{t('plan.how')}：</strong>
        {s.how}
      </p>
      {props.full && (
        <p>
          <strong>{t('plan.why')}：</strong>
          {s.why}
        </p>
      )}
      {props.full && s.prepare.length > 0 && (
        <div>
          <strong>{t('plan.prepare')}：</strong>
          <ul className="prepare">
            {s.prepare.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {s.deadline && s.deadlinePassed && (
        <p className="cutoff">
          {t('plan.cutoff-passed', { date: s.deadline, basis: basisText(s, t), after: s.afterDeadline })}
        </p>
      )}
      {s.deadline && !s.deadlinePassed && (
        <p className="cutoff">{t('plan.cutoff', { date: s.deadline, basis: basisText(s, t) })}</p>
      )}
      {!s.deadline && s.deadlineNeeds && <p className="note">{t(`web.cutoff-needs.${s.deadlineNeeds}`)}</p>}
      {props.full && s.deadlineRule && (
        <p className="note">{t('plan.deadline-rule', { rule: s.deadlineRule })}</p>
      )}
      {s.uncertain && <p className="note">{t('plan.uncertain')}</p>}
      <div className="step-actions no-print">
        <label htmlFor={receiptId}>{t('web.plan.receipt')}</label>
        <input
          id={receiptId}
          type="text"
          inputMode="text"
          autoComplete="off"
          value={receipt}
          onChange={(e) => setReceipt(e.target.value)}
        />
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void props.onDone(s.id, receipt.trim()).finally(() => setBusy(false));
          }}
        >
          {done ? t('web.plan.update') : t('web.plan.done')}
        </button>
      </div>
      {done && (
        <p className="done-at" role="status">
          ✓ {t('web.plan.done-at', { at: doneAt })}
          {record?.receipt ? ` ／ ${t('web.plan.receipt')}：${record.receipt}` : ''}
        </p>
      )}
    </li>
  );
}

/** The phone or chat lines per party, with the case's facts filled in (blanks say what to fill). */
export function Scripts({ plan }: { plan: PlanWithScripts }) {
  const { t } = useTranslation();
  if (!plan.scripts.length) return null;
  return (
    <section className="scripts">
      <h2>{t('web.plan.scripts')}</h2>
      {plan.scripts.map((sc) => (
        <div key={sc.who} className="script">
          <h3>{t('plan.script', { who: t(`who.${sc.who}`) })}</h3>
          <ol>
            {sc.lines.map((l, i) => (
              <li key={i}>
                「
                {t(
                  l.key,
                  Object.fromEntries(Object.entries(l.params).map(([k, v]) => [k, v || t('script.blank')])),
                )}
                」
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
