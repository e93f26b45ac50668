/**
 * 「このメールは本物？」: paste the text (or the 「貼り付け」 button), drop or pick an .eml/.msg/.txt, or a screenshot
 * (PNG, JPEG, WebP: dropped, picked or pasted from the clipboard; the engine worker reads it by QR and OCR). The
 * answer is one sentence and a colour; 「詳しく」 opens the evidence. The body is shown as text only: never rendered
 * HTML, never a live link, never a remote load; look-alike letters in addresses are highlighted. A picture's values
 * as read are shown beside the picture itself (an object URL, as an image only), to be compared by eye.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckResult } from '#core/check/index.ts';
import { call } from '../engine/client.ts';
import { sentenceParams } from '../i18n.ts';
import type { MailView } from '../engine/protocol.ts';
import { oddParts, type OddMode } from './lookalike.ts';
import { takeShared } from './share.ts';
import { fileBytes, type Shared } from './state.ts';
import { WatchedMails } from './WatchedMails.tsx';

const MAX_BYTES = 25 * 1024 * 1024;
const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const ACCEPT = ['.eml', '.msg', '.txt', 'message/rfc822', 'text/plain', ...PICTURE_TYPES].join(',');

/** The first picture among pasted or dropped items (a screenshot copied on the phone or the computer). */
function pictureOf(items: DataTransferItemList | null | undefined): File | null {
  for (const item of items ?? [])
    if (item.kind === 'file' && PICTURE_TYPES.includes(item.type)) return item.getAsFile();
  return null;
}

/** A picture on the clipboard (the 「貼り付け」 button), where the browser lets the page read one. */
async function clipboardPicture(): Promise<File | null> {
  if (typeof navigator.clipboard?.read !== 'function') return null;
  const items = await navigator.clipboard.read().catch(() => null);
  for (const item of items ?? []) {
    const type = item.types.find((x) => PICTURE_TYPES.includes(x));
    if (type) return new File([await item.getType(type)], 'clipboard', { type });
  }
  return null;
}

/**
 * What was read from a picture: the core's values (each URL, phone number and address as read, with its confidence;
 * the QR codes' targets), beside the picture, with the CLI's sentence asking to compare them.
 */
function PictureRead({ result, image }: { result: CheckResult; image: string | null }) {
  const { t } = useTranslation();
  const p = result.picture!;
  const qr = result.links.filter((l) => l.kind === 'qr');
  const partials = result.findings.filter((f) => f.id === 'input.partial').map((f) => f.params.code);
  const notRead = partials.some((c) => c !== 'ocr-uncertain');
  const uncertain =
    partials.includes('ocr-uncertain') || p.read.some((r) => r.uncertain && r.kind !== 'phone');
  return (
    <div className="picture-read" data-testid="picture-read">
      {image && <img className="picture-thumb" src={image} alt={t('web.pics.thumbnail')} />}
      <div>
        <h3>{t('web.pics.title')}</h3>
        <p className="note">{t('pics.read-from-picture', { confidence: p.confidence })}</p>
        {p.read.length > 0 ? (
          <>
            <p>
              <strong>{t('pics.compare')}</strong>
            </p>
            <ul className="picture-values">
              {p.read.map((r, i) => (
                <li key={i} data-read={r.kind} data-uncertain={r.uncertain ? 'true' : 'false'}>
                  <span className="read-kind">{t(`pics.kind.${r.kind}`)}</span>{' '}
                  {r.kind === 'phone' ? (
                    <span className="mono">{r.text.slice(0, 60)}</span>
                  ) : (
                    <Lookalike text={r.text.slice(0, 300)} mode="lenient" />
                  )}{' '}
                  <span className="small">{t('pics.confidence', { confidence: r.confidence })}</span>
                  {r.uncertain && <strong className="read-uncertain"> {t('pics.uncertain')}</strong>}
                </li>
              ))}
            </ul>
          </>
        ) : (
          !qr.length && <p>{t('web.pics.nothing-read')}</p>
        )}
        {qr.length > 0 && (
          <>
            <p>
              <strong>{t('web.pics.qr')}</strong>
            </p>
            <ul className="picture-values">
              {qr.map((l, i) => (
                <li key={i} data-read="qr">
                  <Lookalike text={l.target.slice(0, 300)} />
                </li>
              ))}
            </ul>
          </>
        )}
        {uncertain && <p className="note">{t('web.pics.uncertain-note')}</p>}
        {notRead && <p className="note">{t('web.pics.not-read')}</p>}
      </div>
    </div>
  );
}

/** A text with the characters a look-alike hides behind marked (see `lookalike.ts`: strict for addresses and links). */
export function Lookalike({ text, mode = 'strict' }: { text: string; mode?: OddMode | 'sender' }) {
  const { t } = useTranslation();
  const parts: ReactNode[] = oddParts(text, mode).map((p, n) => {
    if (!p.odd) return p.text;
    const cp = p.text.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return (
      <mark key={n} className="odd" title={t('web.check.odd-letter', { cp })}>
        {p.text}
        <span className="sr-only">{t('web.check.odd-letter', { cp })}</span>
      </mark>
    );
  });
  return <span className="mono">{parts}</span>;
}

/** The body with the findings' quoted evidence marked (as text: React escapes it all). */
function MarkedBody({ body, result }: { body: string; result: CheckResult }) {
  const quotes = [
    ...new Set(
      result.findings
        .filter((f) => f.severity !== 'info' && /^(text|body|order)\./.test(f.id))
        .flatMap((f) => f.evidence.split('\n'))
        .flatMap((q) => q.replace(/^[^:：\s]{1,8}[:：]\s*/u, '').split('…'))
        .map((q) => q.replace(/^[「"]|[」"]$/g, '').trim())
        .filter((q) => q.length >= 2 && q.length <= 120 && body.includes(q)),
    ),
  ];
  if (!quotes.length) return <pre className="body">{body}</pre>;
  const escaped = quotes.map((q) => q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pieces = body.split(new RegExp(`(${escaped.join('|')})`, 'g'));
  return (
    <pre className="body">{pieces.map((p, i) => (quotes.includes(p) ? <mark key={i}>{p}</mark> : p))}</pre>
  );
}

const colour: Record<string, string> = {
  phishing: 'danger',
  suspicious: 'warn',
  legitimate: 'ok',
  unrelated: 'neutral',
};

export function CheckScreen({
  s,
  initial,
  shared = null,
}: {
  s: Shared;
  initial: string | null;
  /** Something came from the share sheet (the service worker keeps it in the cache): checked at once. */
  shared?: '1' | 'failed' | null;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial ?? '');
  const [view, setView] = useState<MailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reading, setReading] = useState(false);
  const [saved, setSaved] = useState(false);
  const [image, setImage] = useState<string | null>(null);
  const last = useRef<{ name: string; bytes: Uint8Array } | null>(null);
  const answer = useRef<HTMLDivElement>(null);

  // The picture's object URL lives as long as its result is on screen.
  useEffect(
    () => () => {
      if (image) URL.revokeObjectURL(image);
    },
    [image],
  );

  const run = async (name: string, bytes: Uint8Array, type = '') => {
    setError(null);
    setSaved(false);
    if (bytes.length > MAX_BYTES) return setError(t('web.check.too-large'));
    setBusy(true);
    setView(null);
    setImage(null);
    last.current = { name, bytes };
    try {
      const v = await call('check', { name, bytes }, (p) => p.phase === 'ocr' && setReading(true));
      if (v.outcome.ok && v.outcome.result.picture)
        setImage(URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: type || 'image/png' })));
      setView(v);
      setTimeout(() => answer.current?.focus(), 0);
    } catch (e) {
      setError(t(e instanceof Error ? e.message : 'web.error.engine'));
    } finally {
      setBusy(false);
      setReading(false);
    }
  };
  const runFile = async (f: File) => run(f.name || 'picture', await fileBytes(f), f.type);
  const runText = (v: string) => {
    if (!v.trim()) return setError(t('web.check.empty'));
    void run('pasted', new TextEncoder().encode(v));
  };
  useEffect(() => {
    if (initial) runText(initial);
    else if (shared)
      void takeShared(shared).then((item) => {
        if (item.kind === 'failed') return setError(t('web.share.failed'));
        if (item.kind === 'text') {
          setText(item.text);
          return runText(item.text);
        }
        void run(item.name, item.bytes, item.type);
      });
  }, []);
  // A screenshot pasted anywhere on this screen (Ctrl+V, or 「ペースト」 on a phone) is checked as a picture; pasted
  // text still goes into the box as usual.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const f = pictureOf(e.clipboardData?.items);
      if (!f) return;
      e.preventDefault();
      void runFile(f);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, []);

  const onFiles = async (files: FileList | null) => {
    const f = files?.[0];
    if (f) void runFile(f);
  };

  const r = view?.outcome.ok ? view.outcome.result : null;
  const headline = r
    ? ['phishing', 'suspicious', 'legitimate', 'unrelated'].includes(r.headline.id)
      ? t(`verdict.${r.headline.id}`)
      : t(`headline.${r.headline.id}`, sentenceParams(r.headline.params, s.lang))
    : '';

  return (
    <section aria-labelledby="check-title">
      <h1 id="check-title">{t('web.check.title')}</h1>
      <p className="lead">{t('web.check.lead')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          runText(text);
        }}
      >
        <label htmlFor="mail-text" className="big-label">
          {t('web.check.paste-label')}
        </label>
        <textarea
          id="mail-text"
          rows={8}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <div className="row">
          <button
            type="button"
            className="btn btn-secondary"
            onClick={async () => {
              try {
                // A screenshot copied to the clipboard is checked as a picture; otherwise its text is pasted.
                const picture = await clipboardPicture();
                if (picture) return void runFile(picture);
                const v = await navigator.clipboard.readText();
                setText(v);
                runText(v);
              } catch {
                setError(t('web.check.clipboard-denied'));
              }
            }}
          >
            {t('web.check.paste')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('web.check.busy') : t('web.check.run')}
          </button>
        </div>
      </form>
      <div
        className="drop"
        data-testid="check-drop"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void onFiles(e.dataTransfer.files);
        }}
      >
        <label htmlFor="mail-file">{t('web.pics.file-label')}</label>
        <input id="mail-file" type="file" accept={ACCEPT} onChange={(e) => void onFiles(e.target.files)} />
      </div>
      {reading && (
        <p className="note" role="status" data-testid="ocr-progress">
          {t('web.pics.reading')}
        </p>
      )}
      <WatchedMails s={s} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {view && !view.outcome.ok && (
        <p className="error" role="alert">
          {t(view.outcome.problem, view.outcome.params)}
        </p>
      )}
      {r && (
        <div
          ref={answer}
          tabIndex={-1}
          className={`verdict verdict-${colour[r.verdict] ?? 'neutral'}`}
          role="status"
          data-verdict={r.verdict}
        >
          <p className="verdict-label">
            <span aria-hidden="true" className="verdict-icon">
              {r.verdict === 'phishing' ? '✕' : r.verdict === 'legitimate' ? '✓' : '!'}
            </span>
            {headline}
          </p>
          <p>{t(`web.check.advice.${r.verdict}`)}</p>
          {r.picture && <PictureRead result={r} image={image} />}
          <div className="row no-print">
            {r.verdict !== 'legitimate' && (
              <a
                className="btn btn-secondary"
                href="#/plan"
                onClick={() => {
                  // A fake mail of another brand: the plan names that brand (the engine says which, or none).
                  if (r.suggestedSituations.length)
                    s.setSituations(
                      [...new Set([...s.situations, ...r.suggestedSituations])],
                      view?.planBrand,
                    );
                  else if (view?.planBrand !== undefined) s.setBrand(view.planBrand);
                }}
              >
                {t('web.check.what-now')}
              </a>
            )}
            <button
              type="button"
              className="btn btn-secondary"
              disabled={saved}
              onClick={async () => {
                if (!last.current) return;
                try {
                  const v = await s.ensureCase();
                  s.setCaseView(await call('add-mail', { id: v.case.id, ...last.current, lang: s.lang }));
                  setSaved(true);
                } catch (e) {
                  setError(t(e instanceof Error ? e.message : 'web.error.engine'));
                }
              }}
            >
              {saved ? t('web.check.saved') : t('web.check.save')}
            </button>
          </div>
          <details className="evidence">
            <summary>{t('web.check.details')}</summary>
            <h3>{t('web.check.sender')}</h3>
            <p data-sender>{r.from ? <Lookalike text={r.from} mode="sender" /> : t('web.check.no-sender')}</p>
            {r.headerless && <p className="note">{t('web.check.headerless')}</p>}
            <h3>{t('web.check.auth')}</h3>
            <ul>
              {r.findings.filter((f) => f.id.startsWith('auth.')).length === 0 && (
                <li>{t('web.check.no-auth')}</li>
              )}
              {r.findings
                .filter((f) => f.id.startsWith('auth.'))
                .map((f, i) => (
                  <li key={i}>
                    {t(`${f.id}.title`, { ns: 'findings', ...sentenceParams(f.params, s.lang) })}
                  </li>
                ))}
            </ul>
            <h3>{t('web.check.links')}</h3>
            {r.links.filter((l) => l.kind !== 'image').length === 0 ? (
              <p>{t('web.check.no-links')}</p>
            ) : (
              <ul className="links">
                {r.links
                  .filter((l) => l.kind !== 'image')
                  .map((l, i) => (
                    <li key={i} className={l.own ? 'link-own' : 'link-foreign'}>
                      <span className="link-verdict">
                        {l.own ? t('web.check.link-own') : t('web.check.link-foreign')}
                      </span>
                      {l.text && l.text !== l.target && (
                        <span>
                          {t('web.check.link-shows')} <Lookalike text={l.text.slice(0, 200)} mode="lenient" />
                        </span>
                      )}
                      <span>
                        {t('web.check.link-goes')} <Lookalike text={l.domain ?? l.target.slice(0, 200)} />
                      </span>
                      <span className="mono small">{l.target.slice(0, 300)}</span>
                    </li>
                  ))}
              </ul>
            )}
            <h3>{t('web.check.findings')}</h3>
            <ul className="findings">
              {r.findings
                .filter((f) => f.severity !== 'info')
                .map((f, i) => (
                  <li key={i} data-finding={f.id} className={`sev-${f.severity}`}>
                    <strong>
                      <span className="sev">{t(`web.severity.${f.severity}`)}</span>
                      {t(`${f.id}.title`, { ns: 'findings', ...sentenceParams(f.params, s.lang) })}
                    </strong>
                    <span>
                      {t(`${f.id}.detail`, { ns: 'findings', ...sentenceParams(f.params, s.lang) })}
                    </span>
                  </li>
                ))}
            </ul>
            {view?.body && (
              <>
                <h3>{t('web.check.body')}</h3>
                <p className="note">{t('web.check.body-note')}</p>
                <MarkedBody body={view.body} result={r} />
              </>
            )}
          </details>
        </div>
      )}
    </section>
  );
}
