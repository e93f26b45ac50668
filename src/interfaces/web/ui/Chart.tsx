/** The charges over time (uPlot, bundled): every charge a point, the suspicious ones larger and marked. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ExplainedCharge } from '#core/reconcile/reconcile.ts';

export const isSuspicious = (c: ExplainedCharge) =>
  c.category === 'unexplained' ||
  c.category === 'cancelled-but-charged' ||
  c.risk === 'high' ||
  c.risk === 'medium';

export function ChargeChart({ charges }: { charges: ExplainedCharge[] }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !charges.length) return;
    // One x per day (seconds, as uPlot counts); null where a series has no point that day.
    const byDay = new Map<number, { all: number; bad: number | null }>();
    for (const c of charges) {
      const x = Date.parse(`${c.date}T00:00:00Z`) / 1000;
      const cur = byDay.get(x) ?? { all: 0, bad: null };
      cur.all = Math.max(cur.all, c.amount);
      if (isSuspicious(c)) cur.bad = Math.max(cur.bad ?? 0, c.amount);
      byDay.set(x, cur);
    }
    const xs = [...byDay.keys()].sort((a, b) => a - b);
    const data: uPlot.AlignedData = [xs, xs.map((x) => byDay.get(x)!.all), xs.map((x) => byDay.get(x)!.bad)];
    const width = () => Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 260,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        scales: { x: { time: true } },
        legend: { show: true, live: false },
        cursor: { points: { size: 10 } },
        axes: [
          { stroke: '#1a1a1a', font: '14px system-ui, sans-serif' },
          { stroke: '#1a1a1a', size: 80, font: '14px system-ui, sans-serif' },
        ],
        series: [
          { label: t('web.charges.col.date') },
          {
            label: t('web.charges.chart.all'),
            stroke: '#1d4f91',
            width: 0,
            points: { show: true, size: 8, fill: '#1d4f91', stroke: '#1d4f91' },
          },
          {
            label: t('web.charges.chart.suspicious'),
            stroke: '#b00020',
            width: 0,
            points: { show: true, size: 16, fill: '#ffffff', stroke: '#b00020', width: 3 },
          },
        ],
      },
      data,
      el,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [charges, t]);
  return (
    <figure className="chart">
      <div ref={box} data-testid="charge-chart" role="img" aria-label={t('web.charges.chart.label')} />
      <figcaption>{t('web.charges.chart.caption')}</figcaption>
    </figure>
  );
}
