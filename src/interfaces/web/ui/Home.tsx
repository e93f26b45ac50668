/** The first screen: 「いま、何が起きていますか？」, then 「今夜やること」 (at most three steps, the most harmful first). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanWithScripts } from '#core/app/plan-for.ts';
import type { Situation } from '#core/knowledge/constants.ts';
import { call } from '../engine/client.ts';
import { StepCard } from './plan-parts.tsx';
import { enteredDetails, firstButtons, type Route, type Shared } from './state.ts';

/** The plan for what the person ticked, and whether a newer one is still being made (`aria-busy`). */
export function usePlanState(s: Shared): { plan: PlanWithScripts | null; pending: boolean } {
  const [state, setState] = useState<{ key: string; plan: PlanWithScripts | null }>({ key: '', plan: null });
  const key = `${s.situations.join(',')}|${s.dates.firstCharge ?? ''}|${s.dates.statementDate ?? ''}|${s.lang}|${s.caseView?.case.id ?? ''}|${s.brand ?? ''}`;
  const setPlan = (p: PlanWithScripts | null) => setState({ key, plan: p });
  useEffect(() => {
    if (!s.situations.length) return setPlan(null);
    let live = true;
    const caseId = s.caseView?.case.id;
    const ask = caseId
      ? call('get-case', { id: caseId, lang: s.lang, dates: s.dates }).then((v) => {
          if (v) s.setCaseView(v);
          return v?.plan ?? null;
        })
      : call('plan', { situations: s.situations, lang: s.lang, dates: s.dates, brand: s.brand });
    void ask.then((p) => live && setPlan(p));
    return () => {
      live = false;
    };
  }, [key]);
  const plan = state.plan;
  return {
    plan: s.caseView && plan ? s.caseView.plan : plan,
    pending: state.key !== key && !!s.situations.length,
  };
}

export function usePlan(s: Shared): PlanWithScripts | null {
  return usePlanState(s).plan;
}

export async function markDone(s: Shared, step: string, receipt: string) {
  const v = await s.ensureCase();
  s.setCaseView(
    await call('step', {
      id: v.case.id,
      step,
      status: 'done',
      ...(receipt ? { receipt } : {}),
      lang: s.lang,
    }),
  );
}

export function DateFields({ s, plan }: { s: Shared; plan: PlanWithScripts | null }) {
  const { t } = useTranslation();
  const needs = new Set(
    (plan?.plan.steps ?? []).flatMap((x) => [x.deadlineNeeds, x.deadlineBasis?.from]).filter(Boolean),
  );
  const today = new Date().toLocaleDateString('en-CA');
  if (!needs.has('first-charge') && !needs.has('statement-date')) return null;
  return (
    <fieldset className="dates">
      <legend>{t('web.dates.legend')}</legend>
      {needs.has('first-charge') && (
        <p>
          <label htmlFor="first-charge">{t('web.dates.first-charge')}</label>
          <input
            id="first-charge"
            type="date"
            max={today}
            value={s.dates.firstCharge ?? ''}
            onChange={(e) => s.setDates({ ...s.dates, firstCharge: e.target.value || undefined })}
          />
        </p>
      )}
      {needs.has('statement-date') && (
        <p>
          <label htmlFor="statement-date">{t('web.dates.statement-date')}</label>
          <input
            id="statement-date"
            type="date"
            max={today}
            value={s.dates.statementDate ?? ''}
            onChange={(e) => s.setDates({ ...s.dates, statementDate: e.target.value || undefined })}
          />
        </p>
      )}
    </fieldset>
  );
}

const flows: { route: Route; key: string }[] = [
  { route: 'check', key: 'check' },
  { route: 'charges', key: 'charges' },
  { route: 'plan', key: 'plan' },
  { route: 'case', key: 'case' },
  { route: 'prevent', key: 'prevent' },
];

export function Home({ s }: { s: Shared }) {
  const { t } = useTranslation();
  const { plan, pending } = usePlanState(s);
  const has = (x: Situation) => s.situations.includes(x);
  const toggle = (list: Situation[], on: boolean) => {
    const drop = new Set<Situation>(list);
    if (!on && list.includes('clicked-link')) for (const d of enteredDetails) drop.add(d.situation);
    const rest = s.situations.filter((x) => !drop.has(x));
    s.setSituations(on ? [...rest, ...list] : rest);
  };
  const tonight = plan?.plan.steps.slice(0, 3) ?? [];
  return (
    <>
      <section aria-labelledby="what-happened">
        <h1 id="what-happened">{t('web.home.title')}</h1>
        <p className="lead">{t('web.home.lead')}</p>
        <div className="choices" role="group" aria-labelledby="what-happened">
          {firstButtons.map((b) => {
            const on = b.situations.every(has);
            return (
              <button
                key={b.key}
                type="button"
                className={`choice${on ? ' choice-on' : ''}`}
                aria-pressed={on}
                data-choice={b.key}
                onClick={() => toggle(b.situations, !on)}
              >
                <span className="choice-mark" aria-hidden="true">
                  {on ? '✓' : ''}
                </span>
                {t(`web.home.choice.${b.key}`)}
              </button>
            );
          })}
        </div>
        {has('clicked-link') && (
          <fieldset className="entered">
            <legend>{t('web.home.entered.legend')}</legend>
            {enteredDetails.map((d) => (
              <label key={d.key} className="check">
                <input
                  type="checkbox"
                  checked={has(d.situation)}
                  onChange={(e) => toggle([d.situation], e.target.checked)}
                />
                {t(`web.home.entered.${d.key}`)}
              </label>
            ))}
          </fieldset>
        )}
      </section>

      {tonight.length > 0 && plan && (
        <section aria-labelledby="tonight" className="tonight" aria-busy={pending}>
          <h2 id="tonight">{t('web.tonight.title')}</h2>
          <p className="lead">{t('web.tonight.lead')}</p>
          <ol className="steps">
            {tonight.map((step, i) => (
              <StepCard
                key={step.id}
                step={step}
                first={i === 0}
                full={false}
                record={s.caseView?.case.steps[step.id]}
                onDone={(id, receipt) => markDone(s, id, receipt)}
              />
            ))}
          </ol>
          <DateFields s={s} plan={plan} />
          {plan.plan.steps.length > 3 && (
            <p>
              <a href="#/plan" className="btn btn-secondary">
                {t('web.tonight.all', { count: plan.plan.steps.length })}
              </a>
            </p>
          )}
        </section>
      )}

      <section aria-labelledby="flows">
        <h2 id="flows">{t('web.home.flows')}</h2>
        <ul className="flows">
          {flows.map((f) => (
            <li key={f.key}>
              <a href={`#/${f.route}`} className="flow" data-flow={f.route}>
                <strong>{t(`web.nav.${f.key}`)}</strong>
                <span>{t(`web.flow.${f.key}`)}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>

      <p className="privacy" role="note">
        {t(s.mode === 'served' ? 'web.privacy.served' : 'web.privacy.static')}
        {s.mode === 'memory' ? ' ' + t('web.privacy.memory') : ''}
      </p>
    </>
  );
}
