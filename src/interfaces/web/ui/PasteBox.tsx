/**
 * 「Amazonの画面から貼り付け」: the first way into 身に覚えのない請求. The text of an Amazon page (pasted, read from the
 * clipboard, or a saved .txt/.html/.mhtml) goes to the engine worker, which reads it with the core and stores
 * nothing; the page shows what was read (charges, orders, the lines they came from, what could not be read) and
 * stores it only on 「この内容で保存して照合」. No paste reaching nothing says what was expected and how to copy.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CardRef } from '#core/ledger/pasted/extract.ts';
import type { ImportCount } from '#core/ports/store.ts';
import { call } from '../engine/client.ts';
import type { PasteInput, PasteView } from '../engine/paste.ts';
import { PasteGuide } from './PasteGuide.tsx';
import { money, type Shared } from './state.ts';
import './paste.css';

/** A saved page is read up to just over what the core accepts, so the core (not the page) says it is too large. */
const READ_LIMIT = 72 * 1024 * 1024;
const UNREAD_SHOWN = 20;

type Note = { kind: 'error' | 'status'; key: string; params?: Record<string, unknown> };
type T = (k: string, o?: Record<string, unknown>) => string;
type Reading = Extract<PasteView['preview'], { kind: 'paste' }>['reading'];

const cardText = (c: CardRef | null) =>
  c ? [c.brand, c.last4 ? `****${c.last4}` : null].filter(Boolean).join(' ') || '—' : '—';

function linesText(t: T, lines: readonly number[]): string {
  if (!lines.length) return '—';
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  return first === last ? t('paste.line', { n: first }) : t('paste.lines', { from: first, to: last });
}

/** The lines an item came from: their numbers, and their text on demand (it stays on this screen). */
function SourceLines({ t, lines, reading }: { t: T; lines: readonly number[]; reading: Reading }) {
  return (
    <details className="src">
      <summary>
        {linesText(t, lines)}
        <span className="sr-only"> {t('web.paste.show-lines')}</span>
      </summary>
      <pre className="src-lines">{lines.map((n) => `${n}: ${reading.lines[n - 1] ?? ''}`).join('\n')}</pre>
    </details>
  );
}

function Confidence({ t, c }: { t: T; c: string }) {
  // The column says 確度; the cell says how sure in a word (高・中・低), colour only added.
  return (
    <span className={`conf conf-${c}`} title={t(`paste.confidence.${c}`)}>
      {t(`web.paste.conf.${c}`)}
    </span>
  );
}

export interface PasteBoxProps {
  s: Shared;
  busy: boolean;
  /** The charges screen shows matched charges now (so the next step after a store is to read them). */
  matched: boolean;
  /** Stored: the charges screen reconciles again. */
  onStored(count: ImportCount): Promise<unknown>;
  /** A card statement was given here: the statement import path takes it. */
  onStatement(file: { name: string; bytes: Uint8Array }): void;
}

export function PasteBox({ s, busy, matched, onStored, onStatement }: PasteBoxProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [working, setWorking] = useState<'read' | 'save' | null>(null);
  const [view, setView] = useState<PasteView | null>(null);
  /** The chosen file's name; null for the box (or the clipboard). */
  const [file, setFile] = useState<string | null>(null);
  const [notes, setNotes] = useState<Note[]>([]);
  /** Set once a reading was stored: what to do next follows the charges screen. */
  const [stored, setStored] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const shown = useRef<HTMLHeadingElement>(null);
  const next = useRef<HTMLParagraphElement>(null);

  // What was read gets the focus, so a screen reader says it and the keyboard is there for the buttons; once
  // stored, the focus goes to what to do next (the preview and its buttons are gone).
  useEffect(() => {
    if (view) shown.current?.focus();
  }, [view]);
  useEffect(() => {
    if (stored && !working) next.current?.focus();
  }, [stored, working]);

  const forget = () => {
    if (view?.previewId) void call('paste-discard', { previewId: view.previewId }).catch(() => false);
  };

  const read = async (input: PasteInput, name: string | null) => {
    forget();
    setView(null);
    setNotes([]);
    setStored(false);
    setFile(name);
    setWorking('read');
    try {
      const v = await call('paste-preview', input);
      setView(v);
      if (v.preview.kind === 'statement') {
        setNotes([
          { kind: 'status', key: 'paste.is-statement', params: { file: name ?? t('label.pasted') } },
          { kind: 'status', key: 'web.paste.statement-start' },
        ]);
        onStatement({
          name: input.name ?? 'pasted.txt',
          bytes: input.bytes ?? new TextEncoder().encode(input.text ?? ''),
        });
      }
    } catch (e) {
      setNotes([{ kind: 'error', key: e instanceof Error ? e.message : 'web.paste.failed' }]);
    } finally {
      setWorking(null);
    }
  };

  const fromClipboard = async () => {
    try {
      const got = await navigator.clipboard.readText();
      setText(got);
      void read({ text: got }, null);
    } catch {
      setNotes([{ kind: 'status', key: 'web.paste.clipboard-denied' }]);
      box.current?.focus();
    }
  };

  const fromFile = async (f: File) => {
    const bytes = new Uint8Array(await f.slice(0, READ_LIMIT).arrayBuffer());
    void read({ name: f.name, bytes }, f.name);
  };

  const confirm = async () => {
    if (!view?.previewId) return;
    setWorking('save');
    try {
      const count = await call('paste-commit', { previewId: view.previewId });
      setView(null);
      setText('');
      setNotes([{ kind: 'status', key: 'web.paste.stored', params: { ...count } }]);
      await onStored(count);
      setStored(true);
    } catch (e) {
      setNotes([{ kind: 'error', key: e instanceof Error ? e.message : 'web.error.engine' }]);
    } finally {
      setWorking(null);
    }
  };

  const discard = () => {
    forget();
    setView(null);
    setText('');
    setStored(false);
    setNotes([{ kind: 'status', key: 'web.paste.discarded' }]);
    box.current?.focus();
  };

  const p = view?.preview;
  const failed = p && (p.kind === 'nothing' || p.kind === 'empty' || p.kind === 'too-large');
  const disabled = busy || !!working;
  return (
    <section className="paste" aria-labelledby="paste-title" data-testid="paste-box">
      <h2 id="paste-title">{t('web.paste.title')}</h2>
      <p>{t('web.paste.lead')}</p>
      <p className="privacy paste-private" data-testid="paste-private">
        {t('paste.private')}
      </p>
      <label htmlFor="paste-text" className="big-label">
        {t('web.paste.label')}
      </label>
      <textarea
        id="paste-text"
        ref={box}
        rows={6}
        value={text}
        placeholder={t('web.paste.placeholder')}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
      <div className="row">
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void fromClipboard()}
          disabled={disabled}
        >
          {t('web.paste.clipboard')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void read({ text }, null)}
          disabled={disabled}
        >
          {t('web.paste.read')}
        </button>
      </div>
      <p>
        <label htmlFor="paste-file" className="big-label">
          {t('web.paste.file-label')}
        </label>
        <span className="note">{t('web.paste.file-note')}</span>
        <input
          id="paste-file"
          type="file"
          accept=".txt,.html,.htm,.mhtml,.mht,text/plain,text/html,multipart/related"
          disabled={disabled}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void fromFile(f);
          }}
        />
      </p>
      <div aria-live="polite">
        {working && (
          <p role="status" className="note">
            {t(working === 'read' ? 'web.paste.reading' : 'web.paste.saving')}
          </p>
        )}
        {notes.map((n, i) => (
          <p
            key={i}
            className={n.kind === 'error' ? 'error' : 'paste-note'}
            role={n.kind === 'error' ? 'alert' : 'status'}
            data-note={n.key}
          >
            {t(n.key, n.params)}
          </p>
        ))}
        {stored && !working && (
          <p
            ref={next}
            tabIndex={-1}
            className="paste-note"
            role="status"
            data-note={matched ? 'web.paste.matched-below' : 'web.paste.next-statement'}
          >
            {t(matched ? 'web.paste.matched-below' : 'web.paste.next-statement')}
          </p>
        )}
      </div>
      {failed && (
        <div className="paste-failed" data-paste={p.kind}>
          <h3 ref={shown} tabIndex={-1} className="error">
            {p.kind === 'nothing'
              ? t('paste.nothing')
              : p.kind === 'too-large'
                ? t('paste.too-large', { file: file ?? t('label.pasted') })
                : file === null
                  ? t('web.paste.empty')
                  : t('paste.empty', { file })}
          </h3>
          <p className="paste-expected">{t('paste.expected')}</p>
          <PasteGuide />
        </div>
      )}
      {p?.kind === 'paste' && (
        <div className="paste-preview" data-testid="paste-preview" data-page={p.page}>
          <h3 ref={shown} tabIndex={-1}>
            {t('paste.read', { page: t(`paste.page.${p.page}`) })}
          </h3>
          {!p.reading.pageNamed && (
            <p className="warn-box" data-note="paste.page-guessed">
              {t('paste.page-guessed')}
            </p>
          )}
          {p.reading.charges.length > 0 && (
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="paste-charges-cap">
              <table className="paste-table" data-testid="paste-charges">
                <caption id="paste-charges-cap">
                  {t('paste.charges', { count: p.reading.charges.length })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('web.paste.col.date')}</th>
                    <th scope="col">{t('web.paste.col.amount')}</th>
                    <th scope="col">{t('web.paste.col.card')}</th>
                    <th scope="col">{t('web.paste.col.order')}</th>
                    <th scope="col">{t('web.paste.col.merchant')}</th>
                    <th scope="col">{t('web.paste.col.confidence')}</th>
                    <th scope="col">{t('web.paste.col.lines')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.reading.charges.map((c, i) => (
                    <tr key={i} data-order={c.orderId}>
                      <td data-label={t('web.paste.col.date')} className="nowrap">
                        {c.date}
                      </td>
                      <td data-label={t('web.paste.col.amount')} className="num">
                        {c.type === 'refund' ? '+' : ''}
                        {money(c.amount, c.currency, s.lang)}
                        {c.type === 'refund' && <span className="tag">{t('paste.refund')}</span>}
                      </td>
                      <td data-label={t('web.paste.col.card')}>{cardText(c.card)}</td>
                      <td data-label={t('web.paste.col.order')}>
                        <span className="mono">{c.orderId}</span>
                      </td>
                      <td data-label={t('web.paste.col.merchant')}>{c.merchant ?? '—'}</td>
                      <td data-label={t('web.paste.col.confidence')}>
                        <Confidence t={t} c={c.confidence} />
                      </td>
                      <td data-label={t('web.paste.col.lines')}>
                        <SourceLines t={t} lines={c.lines} reading={p.reading} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {p.reading.orders.length > 0 && (
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="paste-orders-cap">
              <table className="paste-table" data-testid="paste-orders">
                <caption id="paste-orders-cap">
                  {t('paste.orders', { count: p.reading.orders.length })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('web.paste.col.date')}</th>
                    <th scope="col">{t('web.paste.col.total')}</th>
                    <th scope="col">{t('web.paste.col.order')}</th>
                    <th scope="col">{t('web.paste.col.status')}</th>
                    <th scope="col">{t('web.paste.col.card')}</th>
                    <th scope="col">{t('web.paste.col.confidence')}</th>
                    <th scope="col">{t('web.paste.col.lines')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.reading.orders.map((o, i) => (
                    <tr key={i} data-order={o.orderId}>
                      <td data-label={t('web.paste.col.date')} className="nowrap">
                        {o.date ?? '—'}
                      </td>
                      <td data-label={t('web.paste.col.total')} className="num">
                        {o.total === null ? '—' : money(o.total, o.currency, s.lang)}
                      </td>
                      <td data-label={t('web.paste.col.order')}>
                        <span className="mono">{o.orderId}</span>
                        {o.digital && <span className="tag">{t('web.paste.digital')}</span>}
                      </td>
                      <td data-label={t('web.paste.col.status')}>
                        {t(`paste.status.${o.status}`)}
                        {o.refunded && <span className="tag">{t('paste.refund')}</span>}
                      </td>
                      <td data-label={t('web.paste.col.card')}>{cardText(o.card)}</td>
                      <td data-label={t('web.paste.col.confidence')}>
                        <Confidence t={t} c={o.confidence} />
                      </td>
                      <td data-label={t('web.paste.col.lines')}>
                        <SourceLines t={t} lines={o.lines} reading={p.reading} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {p.reading.unread.length > 0 && (
            <div className="paste-unread" data-testid="paste-unread">
              <h4>{t('paste.unread', { count: p.reading.unread.length })}</h4>
              <ul>
                {p.reading.unread.slice(0, UNREAD_SHOWN).map((u, i) => (
                  <li key={i} data-reason={u.reason}>
                    <strong>{t('paste.line', { n: u.line })}</strong>：{t(`paste.unread.${u.reason}`)}
                    <br />
                    <q className="mono small">{(p.reading.lines[u.line - 1] ?? '').slice(0, 80)}</q>
                  </li>
                ))}
              </ul>
              {p.reading.unread.length > UNREAD_SHOWN && (
                <p className="note">
                  {t('web.paste.unread-more', { count: p.reading.unread.length - UNREAD_SHOWN })}
                </p>
              )}
            </div>
          )}
          <p>
            {t('paste.will-store', {
              count: p.records.lines.length + p.records.payments.length + p.records.refunds.length,
            })}
          </p>
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void confirm()}
              disabled={disabled}
            >
              {t('web.paste.confirm')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={discard} disabled={disabled}>
              {t('web.paste.discard')}
            </button>
          </div>
        </div>
      )}
      {!failed && (
        <details className="howto paste-howto">
          <summary>{t('web.paste.guide-open')}</summary>
          <PasteGuide />
        </details>
      )}
    </section>
  );
}
