/** The shell: a header with the flows and the language switch on every page, and the screen of the route. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Situation } from '#core/knowledge/constants.ts';
import { call } from '../engine/client.ts';
import type { WatchAlert } from '#core/ports/watch.ts';
import type { AlertView, CaseView, DateFacts, StoreMode } from '../engine/protocol.ts';
import { switchLang, type Lang } from '../i18n.ts';
import { AlertsScreen } from './AlertsScreen.tsx';
import { CaseScreen } from './CaseScreen.tsx';
import { ChargesScreen } from './ChargesScreen.tsx';
import { sharedMark } from './share.ts';
import { CheckScreen } from './CheckScreen.tsx';
import { Home } from './Home.tsx';
import { PlanScreen } from './PlanScreen.tsx';
import { PreventScreen } from './PreventScreen.tsx';
import { routes, type Route, type Shared } from './state.ts';
import { WatchSettings } from './WatchSettings.tsx';

const routeOf = (hash: string): Route => {
  const r = hash.replace(/^#\/?/, '').split('?')[0] as Route;
  return routes.includes(r) ? r : 'home';
};

/** Text shared from the phone's share sheet (Web Share Target, GET): read once, then cleared from the address. */
function sharedText(): string | null {
  const q = new URLSearchParams(location.search);
  const parts = ['title', 'text', 'url'].map((k) => q.get(k) ?? '').filter(Boolean);
  if (!parts.length) return null;
  history.replaceState(null, '', location.pathname + '#/check');
  return parts.join('\n');
}

export function App() {
  const { t, i18n } = useTranslation();
  const lang = (i18n.language === 'en' ? 'en' : 'ja') as Lang;
  const [route, setRoute] = useState<Route>(() => routeOf(location.hash));
  const [mode, setMode] = useState<StoreMode | null>(null);
  const [situations, setSituationsState] = useState<Situation[]>([]);
  const [dates, setDates] = useState<DateFacts>({});
  const [caseView, setCaseViewState] = useState<CaseView | null>(null);
  // A view made before the one shown (an answer that came late) never replaces it.
  const setCaseView = useCallback(
    (v: CaseView | null) =>
      setCaseViewState((prev) => (v && prev && v.case.id === prev.case.id && v.rev < prev.rev ? prev : v)),
    [],
  );
  const [brand, setBrandState] = useState<string | null>(null);
  const [shared] = useState(sharedText);
  const [shareMark] = useState(sharedMark);
  const [alerts, setAlerts] = useState<AlertView[] | null>(null);
  const [alertTick, setAlertTick] = useState(0);
  const known = useRef<Set<string> | null>(null);
  const [viewed, setViewed] = useState<ReadonlySet<string>>(new Set());

  // Served mode: the watcher's alerts, live. The server's stream (same origin, so the CSP's connect-src 'self'
  // allows it; the session cookie goes with it) sends the list whenever the store's alerts change.
  useEffect(() => {
    if (mode !== 'served') return;
    const es = new EventSource('/api/alerts/stream');
    const on = (e: MessageEvent<string>) => {
      let list: WatchAlert[];
      try {
        list = JSON.parse(e.data) as WatchAlert[];
      } catch {
        return;
      }
      // What arrives after the first list is new to this page even if the terminal already printed it.
      if (known.current === null) known.current = new Set(list.map((a) => a.id));
      void call('alerts', { lang, list }).then(setAlerts);
    };
    es.addEventListener('alerts', on as EventListener);
    return () => es.close();
  }, [mode, lang]);
  useEffect(() => {
    if (mode === 'served' && alertTick) void call('alerts', { lang }).then(setAlerts);
  }, [mode, lang, alertTick]);
  const alertCount = alerts?.length ?? 0;
  const markViewed = useCallback((ids: string[]) => setViewed((v) => new Set([...v, ...ids])), []);
  const refreshAlerts = useCallback(() => setAlertTick((n) => n + 1), []);
  const isNew = (a: AlertView) =>
    !viewed.has(a.alert.id) && (!a.alert.shown || !(known.current?.has(a.alert.id) ?? true));
  const newAlerts = (alerts ?? []).filter(isNew).length;

  useEffect(() => {
    const on = () => {
      setRoute(routeOf(location.hash));
      window.scrollTo(0, 0);
      document.getElementById('main')?.focus({ preventScroll: true });
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);

  useEffect(() => {
    void call('init', { lang }).then(async (r) => {
      setMode(r.mode);
      if (!r.currentCase) return;
      const v = await call('get-case', { id: r.currentCase, lang });
      if (v) {
        setCaseView(v);
        setSituationsState(v.case.situations);
      }
    });
    // Once: the engine keeps the store for the page's life.
  }, []);

  useEffect(() => {
    document.title = t('web.title');
  }, [t, lang]);

  const setSituations = useCallback(
    (next: Situation[], nextBrand?: string | null) => {
      setSituationsState(next);
      if (nextBrand !== undefined) setBrandState(nextBrand);
      if (caseView && next.length)
        void call('set-situations', {
          id: caseView.case.id,
          situations: next,
          lang,
          ...(nextBrand !== undefined ? { brand: nextBrand } : {}),
        }).then(setCaseView);
    },
    [caseView, lang],
  );

  const setBrand = useCallback(
    (next: string | null) => {
      setBrandState(next);
      if (caseView) void call('set-brand', { id: caseView.case.id, brand: next, lang }).then(setCaseView);
    },
    [caseView, lang],
  );

  const ensureCase = useCallback(async () => {
    if (caseView) return caseView;
    const v = await call('ensure-case', {
      situations: situations.length ? situations : ['suspicious-mail'],
      lang,
      title: t('web.case.default-title'),
      brand,
    });
    setCaseView(v);
    return v;
  }, [caseView, situations, lang, t, brand]);

  const s: Shared = useMemo(
    () => ({
      lang,
      mode,
      situations,
      setSituations,
      dates,
      setDates,
      caseView,
      setCaseView,
      brand,
      setBrand,
      ensureCase,
      go: (r: Route) => {
        location.hash = `#/${r}`;
      },
    }),
    [lang, mode, situations, setSituations, dates, caseView, brand, setBrand, ensureCase],
  );

  return (
    <>
      <a className="skip" href="#main">
        {t('web.skip')}
      </a>
      <header className="top no-print">
        <a href="#/" className="brand">
          <img src="./icon.svg" alt="" width="28" height="28" /> mamori
          <span className="sr-only"> — {t('web.nav.home')}</span>
        </a>
        <nav aria-label={t('web.nav.label')}>
          <ul>
            {(['check', 'charges', 'plan', 'case', 'prevent'] as const).map((r) => (
              <li key={r}>
                <a href={`#/${r}`} aria-current={route === r ? 'page' : undefined}>
                  {t(`web.nav.${r}`)}
                </a>
              </li>
            ))}
            <li>
              <a href="#/alerts" aria-current={route === 'alerts' ? 'page' : undefined} data-nav="alerts">
                {t('web.nav.alerts')}
                {alertCount > 0 && (
                  <span className="badge" data-badge={alertCount}>
                    {' '}
                    {t('web.alerts.badge', { count: alertCount })}
                  </span>
                )}
              </a>
            </li>
          </ul>
        </nav>
        <button
          type="button"
          className="lang"
          lang={lang === 'ja' ? 'en' : 'ja'}
          onClick={() => switchLang(lang === 'ja' ? 'en' : 'ja')}
        >
          {lang === 'ja' ? 'English' : '日本語'}
        </button>
      </header>
      <main id="main" tabIndex={-1} data-engine={mode ? 'ready' : 'starting'}>
        {newAlerts > 0 && route !== 'alerts' && (
          <p className="alert-banner no-print" role="alert" data-banner={newAlerts}>
            <a href="#/alerts">{t('web.alerts.banner', { count: newAlerts })}</a>
          </p>
        )}
        {route === 'home' && <Home s={s} />}
        {route === 'check' && <CheckScreen s={s} initial={shared} shared={shareMark} />}
        {route === 'charges' && <ChargesScreen s={s} />}
        {route === 'plan' && <PlanScreen s={s} />}
        {route === 'case' && <CaseScreen s={s} />}
        {route === 'prevent' && <PreventScreen s={s} />}
        {route === 'alerts' && (
          <AlertsScreen
            s={s}
            alerts={{
              list: alerts,
              isNew,
              refresh: refreshAlerts,
              viewed: markViewed,
            }}
          />
        )}
        {route === 'watch' && <WatchSettings s={s} />}
      </main>
    </>
  );
}
