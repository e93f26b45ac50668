/**
 * The watcher's settings as the page can show them (served mode): the provider presets of
 * `src/adapters/imap/presets.ts` (whether IMAP must be switched on, whether an app password is needed, uncertain
 * values marked), the provider stored with `mamori config provider`, and the exact `mamori watch` command. The page
 * never takes a mail password: it stays in the OS keyring or is typed at the watcher's own prompt.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROVIDER_SETTING } from '#core/mail/provider-setting.ts';
import { IMAP_PRESETS } from '#adapters/imap/presets.ts';
import { call } from '../engine/client.ts';
import type { Shared } from './state.ts';

export function WatchSettings({ s }: { s: Shared }) {
  const { t } = useTranslation();
  const [provider, setProvider] = useState<string | null | undefined>(undefined);
  const [preset, setPreset] = useState<string>(IMAP_PRESETS[0]?.id ?? 'gmail');
  const [user, setUser] = useState('');

  useEffect(() => {
    if (s.mode !== 'served') return;
    void call('get-setting', { key: PROVIDER_SETTING }).then((v) => {
      setProvider(v || null);
      const p = IMAP_PRESETS.find((x) => x.provider === v);
      if (p) setPreset(p.id);
    });
  }, [s.mode]);

  const chosen = IMAP_PRESETS.find((p) => p.id === preset);
  // Only what an address may hold, so the command shown is one that can be pasted as it is.
  const cleanUser = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/.test(user.trim()) ? user.trim() : 'you@example.com';
  const command = `mamori watch --preset ${preset} --user ${cleanUser}`;

  return (
    <section className="watch-settings" aria-labelledby="watch-h">
      <h1 id="watch-h">{t('web.watch.title')}</h1>
      {s.mode !== 'served' && <p data-alerts="static">{t('web.alerts.static')}</p>}
      <p className="no-password" data-watch="no-password">
        {t('web.watch.no-password')}
      </p>
      {s.mode === 'served' && (
        <p data-watch="provider">
          {provider === undefined
            ? '…'
            : provider
              ? t('web.watch.provider', { provider })
              : t('web.watch.provider-none')}
        </p>
      )}
      <label className="field">
        {t('web.watch.preset')}
        <select value={preset} onChange={(e) => setPreset(e.target.value)}>
          {IMAP_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        {t('web.watch.user')}
        <input
          type="email"
          autoComplete="off"
          value={user}
          placeholder="you@example.com"
          onChange={(e) => setUser(e.target.value)}
        />
      </label>
      <p>{t('web.watch.run')}</p>
      <pre className="command" data-watch="command">
        {command}
      </pre>
      {chosen && chosen.auth === 'app-password' && <p>{t('web.watch.auth.app-password')}</p>}
      <table className="presets">
        <caption>{t('web.watch.presets')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('web.watch.col.preset')}</th>
            <th scope="col">{t('web.watch.col.server')}</th>
            <th scope="col">{t('web.watch.col.password')}</th>
            <th scope="col">{t('web.watch.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {IMAP_PRESETS.map((p) => (
            <tr key={p.id} data-preset={p.id} data-status={p.status}>
              <th scope="row">{p.id}</th>
              <td>
                {p.host}:{p.port}
              </td>
              <td>
                {t(`web.watch.auth.${p.auth}`)}
                {p.switchOn && <span className="note block">{t(`watch.preset-switch-on.${p.id}`)}</span>}
              </td>
              <td>{p.status === 'uncertain' ? t('web.watch.uncertain') : t('web.watch.confirmed')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t('web.watch.imap-on')}</p>
    </section>
  );
}
