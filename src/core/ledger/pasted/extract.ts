import type { Currency } from '#core/ledger/types.ts';
import { isoDate } from '#core/ledger/values.ts';

/**
 * A tolerant reader of what Amazon shows on screen (the payments transactions page, Your Orders, an order's
 * details, the digital orders page), copied as text from a phone or a desktop browser, in Japanese or English.
 *
 * No real copy of these pages is public and Amazon changes them, so nothing here depends on a layout: each line
 * is read for the shapes that do not change (order numbers, dates as Amazon writes them, amounts, a card's brand
 * and last four digits, merchant names, statuses), and the shapes are grouped into charges and orders by
 * proximity: a record starts at each occurrence of the field the page's first record started with (or when a
 * field comes twice), and a date seen before the first record's lead field is a heading the records under it
 * share. Each item keeps the lines it came from and a confidence; what could not be placed is reported.
 *
 * Pure: the text in, values out. Nothing of the text is logged or thrown.
 */

export type PageKind = 'transactions' | 'orders' | 'order-details' | 'digital-orders';
export type Confidence = 'high' | 'medium' | 'low';

export interface CardRef {
  brand: string | null;
  last4: string | null;
}

/** One charge (or refund) the transactions page lists. */
export interface PastedCharge {
  type: 'charge' | 'refund';
  orderId: string;
  date: string;
  amount: number;
  currency: Currency;
  card: CardRef | null;
  merchant: string | null;
  confidence: Confidence;
  /** 1-based line numbers of the paste the fields came from. */
  lines: number[];
}

/** One order a Your Orders, order-details or digital orders page shows. */
export interface PastedOrder {
  orderId: string;
  date: string | null;
  /** The order's total, when the page gives it. */
  total: number | null;
  currency: Currency;
  status: 'ok' | 'cancelled' | 'pending';
  refunded: boolean;
  shipDate: string | null;
  digital: boolean;
  card: CardRef | null;
  confidence: Confidence;
  lines: number[];
}

export type UnreadReason =
  'no-order-id' | 'no-date' | 'no-amount' | 'amazon-pay' | 'bad-order-id' | 'bad-date';

/** A line that held something order-like that could not be placed. */
export interface Unread {
  line: number;
  reason: UnreadReason;
}

export interface PasteReading {
  page: PageKind | null;
  /** The page was named by its own words (a heading), not only guessed from its shapes. */
  pageNamed: boolean;
  language: 'ja' | 'en' | null;
  /** The paste's lines after trimming (1-based numbers index `lines[n - 1]`); for the person's screen only. */
  lines: string[];
  charges: PastedCharge[];
  orders: PastedOrder[];
  unread: Unread[];
}

type TokenType = 'date' | 'ship' | 'amount' | 'order' | 'card' | 'merchant' | 'status';

interface Token {
  type: TokenType;
  line: number;
  /** Where on its line (tokens are read in the order they stand). */
  pos: number;
  date?: string;
  amount?: number;
  currency?: Currency;
  sign?: '+' | '-';
  total?: boolean;
  orderId?: string;
  card?: CardRef;
  merchant?: string;
  status?: 'refund' | 'cancelled' | 'shipped' | 'pending';
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const ORDER_RE = /(?<![\dA-Za-z-])((?:\d{3}|D01)-\d{7}-\d{7})(?![\d-])/g;
/** Almost an order number (digits lost or added by the copy): said, never guessed. */
const NEAR_ORDER_RE = /(?<![\dA-Za-z-])(?:\d{3}|D01)-\d{5,8}-\d{5,8}(?![\d-])/;
const JA_DATE_RE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;
const NUM_DATE_RE = /(?<![\d/-])(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?![\d/-])/g;
const EN_DATE_RE =
  /\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(\d{1,2}),?\s+(\d{4})\b/gi;
const EN_DMY_RE =
  /\b(\d{1,2})\s+(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\s+(\d{4})\b/gi;
const AMOUNT_RE =
  /([+-]\s*)?(?:(¥|\\|JPY|US\$|\$|USD)\s*([+-]\s*)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?|(\d{1,3}(?:,\d{3})+|\d+)\s*円)/g;
const CARD_BRANDS =
  'Visa|VISA|Mastercard|MasterCard|MASTERCARD|JCB|American Express|AMERICAN EXPRESS|Amex|AMEX|Diners Club|Diners|Discover|UnionPay|銀聯|楽天カード|Amazon Mastercard|アメックス|ダイナース|マスターカード|ビザ';
const CARD_RE = new RegExp(
  `(${CARD_BRANDS})[^\\d\\n]{0,24}?(?:[*•·●xX＊]{2,}|末尾|下4桁|下四桁|ending in|ending with|で終わる|[-‐ー:：]|\\s)\\s*[*•·●xX]*\\s*(\\d{4})(?!\\d)|(?:[*•●xX]{4,}|(?:カード)?末尾(?:が)?)\\s*(\\d{4})(?!\\d)`,
  'i',
);
const MERCHANT_RE =
  /(AMAZON\s*\.?\s*CO\s*\.?\s*JP|Amazon\.co\.jp|AMAZON\.COM|Amazon\.com|AMZN\s*Mktp\s*US|AMZN\.COM\/BILL|Amazon Marketplace|Amazon Pay[^\d\n]{0,30}|アマゾン\s*(?:シーオージェーピー|ジャパン)?|Amazon Prime|Prime Video|Kindle|Audible|Amazonマーケットプレイス)/i;
const STATUS: readonly [RegExp, NonNullable<Token['status']>][] = [
  [/返金|払い戻し|Refund(?:ed)?|Returned/i, 'refund'],
  [/キャンセル|Cancel(?:l)?ed|Canceled/i, 'cancelled'],
  [/未発送|発送準備中|支払い保留|保留中|Not yet shipped|Pending|Preparing for shipment/i, 'pending'],
  [/発送済み|配達済み|お届け済み|配達完了|Shipped|Delivered/i, 'shipped'],
];
/** A date on such a line is when it shipped or arrived, not the order or charge date. */
const SHIP_WORDS = /お届け|配達|到着|発送日|発送予定|Delivered|Arriving|Arrived|Shipped on|Delivery/i;
/** Amounts that are part of a total, never a charge or an order's total. */
const AUX_WORDS =
  /小計|配送料|送料|手数料|税|ポイント|ギフト券|ギフトカード|割引|クーポン|Subtotal|Shipping|Handling|Tax|Points|Gift Card|Promotion|Discount|Coupon|Before tax|商品の価格|数量|Qty|残高|Balance/i;
const TOTAL_WORDS =
  /注文合計|ご請求額|請求額|合計|お支払い金額|支払い総額|Order Total|Grand Total|Total|Amount charged|請求金額/i;
/** Words that name each page (headings, tabs, the page's own title): a hint, never required. */
const PAGE_WORDS: readonly [RegExp, PageKind][] = [
  [
    /yourpayments\/transactions|取引履歴|^取引$|トランザクション|Transactions|お支払い履歴|支払い履歴|Your payments/im,
    'transactions',
  ],
  [/デジタル注文|Digital Orders|デジタルコンテンツの注文/i, 'digital-orders'],
  [/注文の詳細|注文詳細|Order Details|Order Summary|注文概要|領収書\/購入明細書|Invoice/i, 'order-details'],
  [/注文履歴|Your Orders|Order placed|注文日|ORDER PLACED|Orders placed in/i, 'orders'],
];

function dateTokens(line: string, n: number, out: Token[], label: Label): boolean {
  const ship = label === 'ship' || (SHIP_WORDS.test(line) && !/注文日|Order placed|Ordered on/i.test(line));
  let found = false;
  const push = (pos: number, y: number, m: number, d: number) => {
    const date = isoDate(y, m, d);
    // A day the calendar does not have (2月30日) is not a date.
    if (!date || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) return;
    out.push({ type: ship ? 'ship' : 'date', line: n, pos, date });
    found = true;
  };
  for (const m of line.matchAll(JA_DATE_RE)) push(m.index, +m[1]!, +m[2]!, +m[3]!);
  for (const m of line.matchAll(NUM_DATE_RE)) push(m.index, +m[1]!, +m[2]!, +m[3]!);
  for (const m of line.matchAll(EN_DATE_RE))
    push(m.index, +m[3]!, MONTHS[m[1]!.slice(0, 3).toLowerCase()]!, +m[2]!);
  for (const m of line.matchAll(EN_DMY_RE))
    push(m.index, +m[3]!, MONTHS[m[2]!.slice(0, 3).toLowerCase()]!, +m[1]!);
  return found;
}

function amountTokens(line: string, n: number, out: Token[], label: Label): void {
  if (label === 'aux') return;
  if (AUX_WORDS.test(line) && !TOTAL_WORDS.test(line.replace(/小計|Subtotal/gi, ''))) return;
  const total = label === 'total' || TOTAL_WORDS.test(line);
  for (const m of line.matchAll(AMOUNT_RE)) {
    const symbol = m[2];
    const digits = m[4] ?? m[6];
    if (!digits) continue;
    // A bare "4980円" or "¥4,980" only; a number without a currency is never an amount.
    const currency: Currency = symbol && /\$|USD/.test(symbol) ? 'USD' : 'JPY';
    if (currency === 'JPY' && m[5]) continue;
    const amount = Number(digits.replace(/,/g, '') + (m[5] ?? ''));
    if (!Number.isFinite(amount) || amount <= 0 || amount > 10_000_000) continue;
    const signText = (m[1] ?? m[3] ?? '').trim();
    out.push({
      type: 'amount',
      line: n,
      pos: m.index,
      amount,
      currency,
      total,
      ...(signText ? { sign: signText === '+' ? ('+' as const) : ('-' as const) } : {}),
    });
  }
}

/** A label alone on its line (a phone copy puts 「合計」 above its amount): what the next line's value is. */
type Label = 'total' | 'aux' | 'ship' | null;

function labelOf(line: string): Label {
  if (/\d/.test(line) || line.length > 24) return null;
  if (/^(?:お届け先|Ship to|Deliver to)/i.test(line)) return null;
  if (AUX_WORDS.test(line) && !TOTAL_WORDS.test(line.replace(/小計|Subtotal/gi, ''))) return 'aux';
  if (TOTAL_WORDS.test(line)) return 'total';
  if (SHIP_WORDS.test(line)) return 'ship';
  return null;
}

function tokensOf(line: string, n: number, out: Token[], unread: Unread[], label: Label): void {
  let orders = 0;
  for (const m of line.matchAll(ORDER_RE)) {
    out.push({ type: 'order', line: n, pos: m.index, orderId: m[1]! });
    orders++;
  }
  if (!orders && NEAR_ORDER_RE.test(line)) unread.push({ line: n, reason: 'bad-order-id' });
  const dated = dateTokens(line, n, out, label);
  if (!dated && /(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\b\d{4}\/\d{1,2}\/\d{1,2}\b/.test(line))
    unread.push({ line: n, reason: 'bad-date' });
  // Amounts after the order number and dates are cut out, so a digit run of either is never read as money.
  const blank = (x: string) => ' '.repeat(x.length);
  amountTokens(
    line
      .replace(ORDER_RE, blank)
      .replace(/\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日/g, blank)
      .replace(NUM_DATE_RE, blank),
    n,
    out,
    label,
  );
  const card = CARD_RE.exec(line);
  if (card) {
    const brand = card[1] ? brandName(card[1]) : null;
    out.push({ type: 'card', line: n, pos: card.index, card: { brand, last4: card[2] ?? card[3] ?? null } });
  }
  const merchant = MERCHANT_RE.exec(line);
  if (merchant)
    out.push({ type: 'merchant', line: n, pos: merchant.index, merchant: merchant[1]!.trim().slice(0, 60) });
  for (const [re, status] of STATUS) {
    const m = re.exec(line);
    if (m) {
      out.push({ type: 'status', line: n, pos: m.index, status });
      break;
    }
  }
}

function brandName(raw: string): string {
  const s = raw.toLowerCase();
  if (s.includes('visa') || s === 'ビザ') return 'Visa';
  if (s.includes('master') || s === 'マスターカード') return 'Mastercard';
  if (s === 'jcb') return 'JCB';
  if (s.includes('american') || s.includes('amex') || s === 'アメックス') return 'American Express';
  if (s.includes('diners') || s === 'ダイナース') return 'Diners Club';
  if (s.includes('discover')) return 'Discover';
  if (s.includes('union') || s === '銀聯') return 'UnionPay';
  return raw;
}

function pageKind(text: string, tokens: readonly Token[]): { page: PageKind | null; named: boolean } {
  const orders = tokens.filter((t) => t.type === 'order');
  if (!orders.length && !tokens.some((t) => t.type === 'amount')) return { page: null, named: false };
  const ids = new Set(orders.map((t) => t.orderId));
  const digital = [...ids].filter((id) => id!.startsWith('D01-')).length;
  // A page's words name it only where its contents agree: the digital orders tab and "order details" links
  // appear on Your Orders too.
  const fits = (kind: PageKind) =>
    kind === 'digital-orders'
      ? digital > 0 && digital * 2 >= ids.size
      : kind === 'order-details'
        ? ids.size === 1
        : true;
  for (const [re, kind] of PAGE_WORDS) if (re.test(text) && fits(kind)) return { page: kind, named: true };
  const cards = tokens.filter((t) => t.type === 'card').length;
  const signed = tokens.filter((t) => t.type === 'amount' && t.sign).length;
  if (ids.size && [...ids].every((id) => id!.startsWith('D01-')))
    return { page: 'digital-orders', named: false };
  if (cards >= Math.max(1, orders.length * 0.6) || signed >= Math.max(1, orders.length * 0.6))
    return { page: 'transactions', named: false };
  if (ids.size === 1) return { page: 'order-details', named: false };
  return { page: 'orders', named: false };
}

interface Group {
  tokens: Token[];
  /** The date is the heading's, not the record's own. */
  inherited: boolean;
}

/**
 * Groups the tokens into records by proximity (see the module comment). `repeatable` fields may come several
 * times in one record (an order's item prices and statuses).
 */
function groupTokens(tokens: readonly Token[], repeatable: ReadonlySet<TokenType>): Group[] {
  const groups: Group[] = [];
  const firstLead = tokens.find((t) => t.type !== 'date' && t.type !== 'status' && t.type !== 'ship');
  const lead = firstLead?.type ?? 'order';
  const firstDate = tokens.find((t) => t.type === 'date');
  // Dates above the first record's lead field are headings (the transactions page groups charges by day).
  const before = (a: Token, b: Token) => a.line < b.line || (a.line === b.line && a.pos < b.pos);
  const headings = !!firstDate && !!firstLead && before(firstDate, firstLead) && lead !== 'date';
  let cur: Group = { tokens: [], inherited: false };
  let heading: Token | null = null;
  const has = (g: Group, type: TokenType) => g.tokens.some((t) => t.type === type);
  const substantive = (g: Group) => g.tokens.some((t) => t.type !== 'date' && t.type !== 'status');
  const close = () => {
    if (substantive(cur)) groups.push(cur);
    cur = { tokens: heading && headings ? [heading] : [], inherited: !!heading && headings };
  };
  for (const t of tokens) {
    if (t.type === 'date') {
      if (headings) {
        heading = t;
        if (substantive(cur)) close();
        else cur = { tokens: [t], inherited: true };
        continue;
      }
      if (has(cur, 'date') && !cur.inherited) close();
      cur.tokens = cur.tokens.filter((x) => x.type !== 'date');
      cur.tokens.push(t);
      cur.inherited = false;
      continue;
    }
    const first = t.type === lead && substantive(cur);
    const twice = !repeatable.has(t.type) && t.type !== 'status' && has(cur, t.type);
    // The same order number again (a "view order" link, a heading) belongs to the record it names.
    const same = t.type === 'order' && cur.tokens.some((x) => x.type === 'order' && x.orderId === t.orderId);
    if (same) continue;
    if (first || twice) close();
    cur.tokens.push(t);
  }
  close();
  return groups;
}

const lineNumbers = (g: Group) => [...new Set(g.tokens.map((t) => t.line))].sort((a, b) => a - b);
const first = <T extends TokenType>(g: Group, type: T) => g.tokens.find((t) => t.type === type);

/** An order's details page: everything from one order number to the next different one is that order's. */
function byOrderNumber(tokens: readonly Token[]): Group[] {
  const groups: Group[] = [];
  let cur: Token[] = [];
  let id: string | null = null;
  for (const t of tokens) {
    if (t.type === 'order' && id !== null && t.orderId !== id) {
      groups.push({ tokens: cur, inherited: false });
      cur = [];
    }
    if (t.type === 'order') id = t.orderId!;
    // The order's own date is the first; later ones (paid, shipped) are not the order date.
    if (t.type === 'date' && cur.some((x) => x.type === 'date')) continue;
    cur.push(t);
  }
  if (cur.length) groups.push({ tokens: cur, inherited: false });
  return groups;
}

function chargesOf(groups: readonly Group[], unread: Unread[]): PastedCharge[] {
  const out: PastedCharge[] = [];
  for (const g of groups) {
    const order = first(g, 'order');
    const date = first(g, 'date');
    const amount = first(g, 'amount');
    const card = first(g, 'card')?.card ?? null;
    const merchant = first(g, 'merchant')?.merchant ?? null;
    const at = lineNumbers(g)[0] ?? g.tokens[0]!.line;
    if (!order) {
      if (amount)
        unread.push({
          line: amount.line,
          reason: merchant && /pay/i.test(merchant) ? 'amazon-pay' : 'no-order-id',
        });
      continue;
    }
    if (!amount) {
      unread.push({ line: at, reason: 'no-amount' });
      continue;
    }
    if (!date) {
      unread.push({ line: at, reason: 'no-date' });
      continue;
    }
    const refund = amount.sign === '+' || g.tokens.some((t) => t.type === 'status' && t.status === 'refund');
    const confidence: Confidence =
      card?.last4 && merchant ? 'high' : card?.last4 || merchant ? 'medium' : 'low';
    out.push({
      type: refund ? 'refund' : 'charge',
      orderId: order.orderId!,
      date: date.date!,
      amount: amount.amount!,
      currency: amount.currency!,
      card,
      merchant,
      confidence,
      lines: lineNumbers(g),
    });
  }
  return out;
}

function ordersOf(groups: readonly Group[], page: PageKind, unread: Unread[]): PastedOrder[] {
  const byId = new Map<string, PastedOrder>();
  for (const g of groups) {
    const order = first(g, 'order');
    const at = lineNumbers(g)[0] ?? g.tokens[0]!.line;
    if (!order) {
      const amount = first(g, 'amount');
      if (amount) unread.push({ line: amount.line, reason: 'no-order-id' });
      continue;
    }
    const amounts = g.tokens.filter((t) => t.type === 'amount');
    // The total the page names, else the only amount, else the largest (the items add up to it).
    const totalTok =
      amounts.find((t) => t.total) ??
      (amounts.length ? amounts.reduce((a, b) => (b.amount! > a.amount! ? b : a)) : undefined);
    const statuses = new Set(g.tokens.filter((t) => t.type === 'status').map((t) => t.status));
    const date = first(g, 'date')?.date ?? null;
    if (!date) unread.push({ line: at, reason: 'no-date' });
    if (!totalTok) unread.push({ line: at, reason: 'no-amount' });
    const o: PastedOrder = {
      orderId: order.orderId!,
      date,
      total: totalTok?.amount ?? null,
      currency: totalTok?.currency ?? 'JPY',
      status: statuses.has('cancelled') ? 'cancelled' : statuses.has('pending') ? 'pending' : 'ok',
      refunded: statuses.has('refund'),
      shipDate: first(g, 'ship')?.date ?? null,
      digital: page === 'digital-orders' || order.orderId!.startsWith('D01-'),
      card: first(g, 'card')?.card ?? null,
      confidence: date && totalTok ? (totalTok.total || amounts.length === 1 ? 'high' : 'medium') : 'low',
      lines: lineNumbers(g),
    };
    const prev = byId.get(o.orderId);
    // The same order twice (a details page repeats its number): the fuller reading wins, lines joined.
    if (!prev) byId.set(o.orderId, o);
    else {
      const score = (x: PastedOrder) => (x.date ? 1 : 0) + (x.total !== null ? 1 : 0);
      const keep = score(o) > score(prev) ? o : prev;
      byId.set(o.orderId, {
        ...keep,
        lines: [...new Set([...prev.lines, ...o.lines])].sort((a, b) => a - b),
      });
    }
  }
  // A record without a date that only repeats a number is not an order of its own.
  return [...byId.values()].filter((o) => o.date !== null || o.total !== null);
}

/** Reads a paste. `text` is what was copied (or the text of a saved page); nothing of it leaves the values. */
export function readPaste(text: string): PasteReading {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim());
  const tokens: Token[] = [];
  const unread: Unread[] = [];
  let label: Label = null;
  lines.forEach((raw, i) => {
    if (!raw) return;
    // Full-width digits and signs (ＶＩＳＡ，４，９８０円), the full-width yen sign: read as their plain forms.
    const line = raw.normalize('NFKC').replace(/[−–—]/g, '-').replace(/￥/g, '¥');
    const at = tokens.length;
    tokensOf(line, i + 1, tokens, unread, label);
    // In the order they stand on the line (a desktop copy puts a whole record on one line).
    const mine = tokens.splice(at).sort((a, b) => a.pos - b.pos);
    tokens.push(...mine);
    label = labelOf(line);
  });
  // What stands above the first date or order number is the site's header (its name, menus): not a record.
  const start = tokens.findIndex((t) => t.type === 'date' || t.type === 'order');
  if (start > 0) tokens.splice(0, start);
  const language = /[\u3040-\u30ff\u4e00-\u9fff]/.test(text) ? 'ja' : /[A-Za-z]{3}/.test(text) ? 'en' : null;
  const { page, named } = pageKind(text.normalize('NFKC'), tokens);
  let charges: PastedCharge[] = [];
  let orders: PastedOrder[] = [];
  if (page === 'transactions') charges = chargesOf(groupTokens(tokens, new Set()), unread);
  else if (page) {
    const repeat = new Set<TokenType>(['amount', 'card', 'merchant', 'ship']);
    orders = ordersOf(
      page === 'order-details' ? byOrderNumber(tokens) : groupTokens(tokens, repeat),
      page,
      unread,
    );
  }
  const used = new Set([...charges, ...orders].flatMap((x) => x.lines));
  const seen = new Set<string>();
  return {
    page: charges.length || orders.length ? page : null,
    pageNamed: named,
    language,
    lines,
    charges,
    orders,
    unread: unread
      .filter(
        (u) =>
          u.reason === 'bad-order-id' ||
          u.reason === 'bad-date' ||
          !used.has(u.line) ||
          u.reason === 'no-date' ||
          u.reason === 'no-amount',
      )
      .filter((u) => !seen.has(`${u.line}|${u.reason}`) && !!seen.add(`${u.line}|${u.reason}`))
      .sort((a, b) => a.line - b.line),
  };
}
