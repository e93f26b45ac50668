/** 「何をすればいい？」: the plan as a checklist (tonight / tomorrow / once you can sign in), ticks saved. */
import { useTranslation } from 'react-i18next';
import type { PlanStep } from '#core/plan/plan.ts';
import { DateFields, markDone, usePlan } from './Home.tsx';
import { Scripts, StepCard } from './plan-parts.tsx';
import { firstButtons, type Shared } from './state.ts';

const groupOf = (s: PlanStep): 'tonight' | 'soon' | 'access' =>
  s.when === 'now' || s.when === 'today' ? 'tonight' : s.when === 'after-access' ? 'access' : 'soon';

export function PlanScreen({ s }: { s: Shared }) {
  const { t } = useTranslation();
  const plan = usePlan(s);
  if (!s.situations.length)
    return (
      <section>
        <h1>{t('web.plan.title')}</h1>
        <p className="lead">{t('web.plan.pick-first')}</p>
        <p>
          <a className="btn btn-primary" href="#/">
            {t('web.plan.to-first')}
          </a>
        </p>
        <ul className="plain">
          {firstButtons.map((b) => (
            <li key={b.key}>{t(`web.home.choice.${b.key}`)}</li>
          ))}
        </ul>
      </section>
    );
  const groups = (['tonight', 'soon', 'access'] as const).map((g) => ({
    g,
    steps: (plan?.plan.steps ?? []).filter((x) => groupOf(x) === g),
  }));
  return (
    <section aria-labelledby="plan-title" className="print-large">
      <h1 id="plan-title">{t('web.plan.title')}</h1>
      <p className="lead">{s.situations.map((x) => t(`situation.${x}`)).join('、')}</p>
      {plan?.plan.at && (
        <p className="note">
          {t('plan.at', {
            date: plan.plan.at.date,
            time: plan.plan.at.time,
            weekday: t(`weekday.${plan.plan.at.weekday}`),
          })}
        </p>
      )}
      <DateFields s={s} plan={plan} />
      {groups
        .filter((x) => x.steps.length)
        .map(({ g, steps }) => (
          <div key={g} className="plan-group">
            <h2>{t(`web.plan.group.${g}`)}</h2>
            <ol className="steps">
              {steps.map((step) => (
                <StepCard
                  key={step.id}
                  step={step}
                  first={step.n === 1}
                  full
                  record={s.caseView?.case.steps[step.id]}
                  onDone={(id, receipt) => markDone(s, id, receipt)}
                />
              ))}
            </ol>
          </div>
        ))}
      {plan && plan.plan.expect.length > 0 && (
        <section>
          <h2>{t('web.plan.expect')}</h2>
          <ul>
            {plan.plan.expect.map((e) => (
              <li key={e.id}>
                {e.text}
                {e.uncertain ? ` ${t('plan.uncertain')}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      {plan && <Scripts plan={plan} />}
      <p className="no-print">
        <button type="button" className="btn btn-secondary" onClick={() => window.print()}>
          {t('web.plan.print')}
        </button>
      </p>
    </section>
  );
}
