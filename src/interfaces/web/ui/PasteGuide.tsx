/**
 * How to copy an Amazon page, with pictures of where to tap: a phone (long-press → すべて選択 → コピー), a computer
 * (Ctrl+A → Ctrl+C), and where each page is in Amazon's menus. The pictures are drawn here as inline SVG (no image
 * from anywhere), each with its text alternative, and say 「確認できていません」 where the reference does not confirm
 * a name or a place (ja-paste.yaml's paste.how.* sentences say which part).
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageKind } from '#core/ledger/pasted/extract.ts';

const INK = '#1a1a1a';
const BAR = '#c9d1dc';
const BLUE = '#1d4f91';
const BLUE_BG = '#e8f0fb';
const FOCUS = '#ffbf47';
const AMBER = '#7a4a00';
const AMBER_BG = '#fff4e0';

export const pastePages: PageKind[] = ['transactions', 'orders', 'order-details', 'digital-orders'];

/** Where the reference confirms the page but not the way there (a menu path, a button's or a tab's name). */
const unconfirmed: Record<PageKind, boolean> = {
  transactions: true,
  orders: false,
  'order-details': true,
  'digital-orders': true,
};

function Pic({ alt, w, h, children }: { alt: string; w: number; h: number; children: ReactNode }) {
  const id = useId();
  return (
    <svg
      className="paste-pic"
      role="img"
      aria-labelledby={id}
      viewBox={`0 0 ${w} ${h}`}
      focusable="false"
      fontFamily="inherit"
    >
      <title id={id}>{alt}</title>
      {children}
    </svg>
  );
}

/** Grey lines standing for a page's text. */
function Bars({ x, y, w, n, gap = 12 }: { x: number; y: number; w: number; n: number; gap?: number }) {
  return (
    <>
      {Array.from({ length: n }, (_, i) => (
        <rect key={i} x={x} y={y + i * gap} width={i % 3 === 2 ? w * 0.6 : w} height={5} rx={2} fill={BAR} />
      ))}
    </>
  );
}

function Finger({ x, y }: { x: number; y: number }) {
  return (
    <g aria-hidden="true">
      <circle cx={x} cy={y} r={15} fill={FOCUS} fillOpacity={0.45} />
      <circle cx={x} cy={y} r={8} fill={FOCUS} stroke={INK} strokeWidth={2} />
    </g>
  );
}

function Phone({ x, children }: { x: number; children?: ReactNode }) {
  return (
    <g>
      <rect x={x} y={8} width={92} height={158} rx={14} fill="#fff" stroke={INK} strokeWidth={2.5} />
      <rect x={x + 34} y={14} width={24} height={4} rx={2} fill={INK} />
      {children}
    </g>
  );
}

function Bubble({ x, y, w, label, on }: { x: number; y: number; w: number; label: string; on: boolean }) {
  return (
    <g>
      <rect
        x={x}
        y={y}
        width={w}
        height={26}
        rx={6}
        fill={INK}
        stroke={on ? FOCUS : INK}
        strokeWidth={on ? 4 : 1}
      />
      <text x={x + w / 2} y={y + 18} textAnchor="middle" fontSize={13} fontWeight={700} fill="#fff">
        {label}
      </text>
    </g>
  );
}

function Arrow({ x, y }: { x: number; y: number }) {
  return <path d={`M${x} ${y} h12 l-5 -6 M${x + 12} ${y} l-5 6`} stroke={BLUE} strokeWidth={3} fill="none" />;
}

function Caption({ x, y, text }: { x: number; y: number; text: string }) {
  return (
    <text x={x} y={y} textAnchor="middle" fontSize={14} fontWeight={700} fill={INK}>
      {text}
    </text>
  );
}

export function PhoneCopyPicture() {
  const { t } = useTranslation();
  return (
    <Pic alt={t('web.paste.guide.phone-alt')} w={330} h={200}>
      <Phone x={8}>
        <Bars x={20} y={40} w={68} n={8} />
        <Finger x={54} y={76} />
      </Phone>
      <Arrow x={104} y={88} />
      <Phone x={120}>
        <rect x={128} y={36} width={76} height={100} fill={BLUE_BG} />
        <Bars x={132} y={40} w={68} n={8} />
        <Bubble x={124} y={58} w={84} label={t('web.paste.pic.select-all')} on />
      </Phone>
      <Arrow x={216} y={88} />
      <Phone x={232}>
        <rect x={240} y={36} width={76} height={100} fill={BLUE_BG} />
        <Bars x={244} y={40} w={68} n={8} />
        <Bubble x={244} y={58} w={68} label={t('web.paste.pic.copy')} on />
      </Phone>
      <Caption x={54} y={188} text={`① ${t('web.paste.pic.long-press')}`} />
      <Caption x={166} y={188} text={`② ${t('web.paste.pic.select-all')}`} />
      <Caption x={278} y={188} text={`③ ${t('web.paste.pic.copy')}`} />
    </Pic>
  );
}

function Key({ x, y, w, label }: { x: number; y: number; w: number; label: string }) {
  return (
    <g>
      <rect x={x} y={y + 3} width={w} height={30} rx={6} fill={BAR} />
      <rect x={x} y={y} width={w} height={30} rx={6} fill="#fff" stroke={INK} strokeWidth={2} />
      <text x={x + w / 2} y={y + 20} textAnchor="middle" fontSize={13} fontWeight={700} fill={INK}>
        {label}
      </text>
    </g>
  );
}

function Keys({ y, letter, caption }: { y: number; letter: string; caption: string }) {
  return (
    <g>
      <Key x={190} y={y} w={48} label="Ctrl" />
      <text x={247} y={y + 21} textAnchor="middle" fontSize={16} fontWeight={700} fill={INK}>
        +
      </text>
      <Key x={256} y={y} w={34} label={letter} />
      <text x={190} y={y + 54} fontSize={15} fontWeight={700} fill={INK}>
        {caption}
      </text>
    </g>
  );
}

export function DesktopCopyPicture() {
  const { t } = useTranslation();
  return (
    <Pic alt={t('web.paste.guide.desktop-alt')} w={330} h={170}>
      <rect x={8} y={14} width={160} height={104} rx={8} fill="#fff" stroke={INK} strokeWidth={2.5} />
      <rect x={16} y={22} width={144} height={88} fill={BLUE_BG} />
      <Bars x={22} y={30} w={130} n={7} />
      <path d="M78 118 v18 M58 140 h60" stroke={INK} strokeWidth={3} />
      <Keys y={14} letter="A" caption={`① ${t('web.paste.pic.select-all')}`} />
      <Keys y={94} letter="C" caption={`② ${t('web.paste.pic.copy')}`} />
    </Pic>
  );
}

function Unconfirmed({ x, y }: { x: number; y: number }) {
  const { t } = useTranslation();
  return (
    <g>
      <rect x={x} y={y} width={150} height={22} rx={11} fill={AMBER_BG} stroke={AMBER} strokeWidth={1.5} />
      <text x={x + 75} y={y + 16} textAnchor="middle" fontSize={13} fontWeight={700} fill={AMBER}>
        {`? ${t('web.paste.guide.uncertain-tag')}`}
      </text>
    </g>
  );
}

/** A place on the page to tap, highlighted; dashed (and amber) where its name is not confirmed. */
function Target({
  x,
  y,
  w,
  label,
  unsure,
}: {
  x: number;
  y: number;
  w: number;
  label: string;
  unsure?: boolean;
}) {
  return (
    <g>
      <rect
        x={x}
        y={y}
        width={w}
        height={30}
        rx={8}
        fill={unsure ? AMBER_BG : BLUE_BG}
        stroke={unsure ? AMBER : BLUE}
        strokeWidth={3}
        strokeDasharray={unsure ? '6 4' : undefined}
      />
      <text x={x + w / 2} y={y + 20.5} textAnchor="middle" fontSize={14} fontWeight={700} fill={INK}>
        {label}
      </text>
    </g>
  );
}

function TransactionsPicture() {
  const { t } = useTranslation();
  return (
    <Pic alt={t('web.paste.pic.transactions-alt')} w={330} h={170}>
      <rect x={6} y={6} width={318} height={158} rx={10} fill="#fff" stroke={INK} strokeWidth={2} />
      <rect x={16} y={16} width={298} height={32} rx={16} fill="#fff" stroke={BLUE} strokeWidth={3} />
      <text x={30} y={37} fontSize={12} fill={INK} textLength={270} lengthAdjust="spacingAndGlyphs">
        www.amazon.co.jp/cpe/yourpayments/transactions
      </text>
      <text x={30} y={70} fontSize={14} fontWeight={700} fill={BLUE}>
        {`⌨ ${t('web.paste.pic.type-yourself')}`}
      </text>
      <rect
        x={16}
        y={84}
        width={298}
        height={34}
        rx={8}
        fill={AMBER_BG}
        stroke={AMBER}
        strokeWidth={2}
        strokeDasharray="6 4"
      />
      <text x={165} y={106} textAnchor="middle" fontSize={13} fill={INK}>
        {`${t('web.paste.pic.account')} › ${t('web.paste.pic.payments')} › ${t('web.paste.pic.transactions')}`}
      </text>
      <Unconfirmed x={164} y={130} />
    </Pic>
  );
}

function OrdersPicture() {
  const { t } = useTranslation();
  return (
    <Pic alt={t('web.paste.pic.orders-alt')} w={330} h={170}>
      <rect x={50} y={6} width={230} height={158} rx={12} fill="#fff" stroke={INK} strokeWidth={2} />
      <rect x={50} y={6} width={230} height={34} rx={12} fill={BLUE} />
      <rect x={50} y={28} width={230} height={12} fill={BLUE} />
      <text x={165} y={29} textAnchor="middle" fontSize={14} fontWeight={700} fill="#fff">
        {t('web.paste.pic.account')}
      </text>
      <Bars x={66} y={54} w={150} n={1} />
      <Target x={62} y={70} w={206} label={t('web.paste.pic.orders')} />
      <Finger x={262} y={98} />
      <Bars x={66} y={116} w={150} n={3} gap={14} />
    </Pic>
  );
}

function OrderDetailsPicture() {
  const { t } = useTranslation();
  return (
    <Pic alt={t('web.paste.pic.order-details-alt')} w={330} h={170}>
      <rect x={30} y={6} width={270} height={126} rx={10} fill="#fff" stroke={INK} strokeWidth={2} />
      <rect x={30} y={6} width={270} height={28} rx={10} fill="#f4f6f9" />
      <text x={42} y={25} fontSize={13} fontWeight={700} fill={INK}>
        {t('web.paste.pic.order-no')}
      </text>
      <Bars x={42} y={46} w={88} n={4} />
      <Target x={142} y={50} w={148} label={t('web.paste.pic.view-order')} unsure />
      <Finger x={284} y={84} />
      <Unconfirmed x={150} y={140} />
    </Pic>
  );
}

function DigitalOrdersPicture() {
  const { t } = useTranslation();
  return (
    <Pic alt={t('web.paste.pic.digital-orders-alt')} w={330} h={170}>
      <rect x={20} y={6} width={290} height={126} rx={10} fill="#fff" stroke={INK} strokeWidth={2} />
      <rect x={32} y={18} width={90} height={30} rx={8} fill="#fff" stroke={BAR} strokeWidth={2} />
      <text x={77} y={38.5} textAnchor="middle" fontSize={14} fill={INK}>
        {t('web.paste.pic.orders-tab')}
      </text>
      <Target x={130} y={18} w={150} label={t('web.paste.pic.digital-tab')} unsure />
      <Finger x={280} y={50} />
      <path d="M32 56 h266" stroke={BAR} strokeWidth={2} />
      <text x={36} y={80} fontSize={13} fontWeight={700} fill={INK}>
        D01-…
      </text>
      <Bars x={36} y={92} w={200} n={3} />
      <Unconfirmed x={150} y={140} />
    </Pic>
  );
}

const pagePictures: Record<PageKind, () => ReactNode> = {
  transactions: TransactionsPicture,
  orders: OrdersPicture,
  'order-details': OrderDetailsPicture,
  'digital-orders': DigitalOrdersPicture,
};

/** What to paste and how: the copy pictures, then each page with where it is. */
export function PasteGuide() {
  const { t } = useTranslation();
  return (
    <div className="paste-guide" data-testid="paste-guide">
      <h3>{t('web.paste.guide.title')}</h3>
      <p className="note">{t('web.paste.guide.pictures-note')}</p>
      <div className="guide-grid">
        <figure data-picture="phone-copy">
          <figcaption>{t('web.paste.guide.phone')}</figcaption>
          <PhoneCopyPicture />
          <ol>
            <li>{t('web.paste.guide.phone-1')}</li>
            <li>{t('web.paste.guide.phone-2')}</li>
            <li>{t('web.paste.guide.phone-3')}</li>
          </ol>
          <p className="note">{t('web.paste.guide.phone-app')}</p>
        </figure>
        <figure data-picture="desktop-copy">
          <figcaption>{t('web.paste.guide.desktop')}</figcaption>
          <DesktopCopyPicture />
          <ol>
            <li>{t('web.paste.guide.desktop-1')}</li>
            <li>{t('web.paste.guide.desktop-2')}</li>
            <li>{t('web.paste.guide.desktop-3')}</li>
          </ol>
        </figure>
      </div>
      <p>{t('web.paste.guide.save')}</p>
      <h3>{t('web.paste.guide.pages')}</h3>
      <ul className="guide-pages">
        {pastePages.map((page) => {
          const Picture = pagePictures[page];
          return (
            <li key={page} data-page={page}>
              <h4>
                {t(`paste.page.${page}`)}
                {page === 'transactions' && <span className="tag tag-best">{t('web.paste.guide.best')}</span>}
                {unconfirmed[page] && (
                  <span className="tag tag-unsure" data-uncertain={page}>
                    {t('web.paste.guide.uncertain-tag')}
                  </span>
                )}
              </h4>
              <Picture />
              <p>{t(`paste.how.${page}`)}</p>
            </li>
          );
        })}
      </ul>
      <p className="note">{t('paste.how.uncertain')}</p>
    </div>
  );
}
