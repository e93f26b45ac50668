import type { Merchant } from '#core/knowledge/schema.ts';
import type {
  Currency,
  ImportProblem,
  OrderLine,
  OrderPayment,
  Refund,
  SourceRef,
  Storefront,
} from './types.ts';
import { localDateTime, parseAmount, parseDate, stableKey } from './values.ts';

/**
 * Amazon's exports, recognised by file name and header, read column by name (never by position). Each mapper
 * turns one CSV row into records; it is pure, so the importer can stream a 100 MB export through it.
 */
export type AmazonFileKind =
  | 'retail-gen1'
  | 'retail-gen2'
  | 'digital-items-gen1'
  | 'digital-gen2'
  | 'refunds-gen1'
  | 'refunds-gen2'
  | 'legacy-items'
  | 'legacy-shipments'
  | 'legacy-refunds'
  | 'jp-extension';

/** Each storefront's time zone, from its merchant profile (`data/merchants/<storefront>.yaml`). */
export function storefrontZones(
  merchants: readonly Pick<Merchant, 'id' | 'timezone'>[],
): Record<Storefront, string> {
  const zone = (sf: Storefront) => {
    const m = merchants.find((x) => x.id === sf);
    if (!m) throw new Error(`no merchant profile for storefront ${sf}`);
    return m.timezone;
  };
  return { 'amazon-jp': zone('amazon-jp'), 'amazon-us': zone('amazon-us') };
}

const ALIASES = {
  orderId: ['Order ID', 'OrderId', 'OrderID', 'order id', '注文番号'],
  orderDate: ['Order Date', 'OrderDate', '注文日'],
  shipDate: ['Ship Date', 'Shipment Date', 'FulfilledDate'],
  amount: ['Total Owed', 'Total Amount', 'Item Total', 'Transaction Amount'],
  quantity: [
    'Quantity',
    'Original Quantity',
    'QuantityOrdered',
    'Quantity Ordered',
    'OriginalQuantity',
    '個数',
  ],
  name: ['Product Name', 'ProductName', 'Title', '商品名'],
  asin: ['ASIN', 'ASIN/ISBN'],
  status: ['Order Status', 'OrderStatus'],
  payment: ['Payment Instrument Type', 'Payment Method Type', 'Payment Information'],
  shipTo: ['Shipping Address', 'Shipping Address Name', 'お届け先'],
  currency: ['Currency', 'BaseCurrencyCode', 'Price Currency Code', 'OurPriceCurrencyCode'],
  website: ['Website', 'Marketplace'],
  seller: ['Seller', 'SellerOfRecord', 'Seller of Record'],
  category: ['Category'],
  giftTo: ['Gift Recipient Contact Details', 'RecipientEmail', 'GiftEmail', 'Recipient Email', 'Gift Email'],
} as const;

type Field = keyof typeof ALIASES;

export interface HeaderMap {
  index(field: Field): number;
  get(row: string[], field: Field): string | undefined;
  has(name: string): boolean;
  col(row: string[], name: string): string | undefined;
}

export function headerMap(header: string[]): HeaderMap {
  const clean = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  const byName = new Map(clean.map((h, i) => [h.toLowerCase(), i]));
  const cache = new Map<Field, number>();
  const index = (field: Field) => {
    let i = cache.get(field);
    if (i === undefined) {
      i = ALIASES[field].map((a) => byName.get(a.toLowerCase())).find((x) => x !== undefined) ?? -1;
      cache.set(field, i);
    }
    return i;
  };
  return {
    index,
    get: (row, field) => {
      const i = index(field);
      const v = i >= 0 ? row[i] : undefined;
      return v === undefined || /^(not available|not applicable|n\/a)$/i.test(v.trim())
        ? undefined
        : v.trim();
    },
    has: (name) => byName.has(name.toLowerCase()),
    col: (row, name) => {
      const i = byName.get(name.toLowerCase());
      return i === undefined ? undefined : row[i]?.trim();
    },
  };
}

/** Which Amazon file this is, from its path inside the export and its header; null when it is not one. */
export function identifyAmazonFile(path: string, header: string[]): AmazonFileKind | null {
  const h = headerMap(header);
  const base = path.split(/[/\\!]/).pop() ?? path;
  if (h.has('クレカ請求日') && h.has('注文番号')) return 'jp-extension';
  if (/^Retail\.OrderHistory\.\d+\.csv$/i.test(base) || (h.has('Total Owed') && h.has('Order ID')))
    return 'retail-gen1';
  if (
    /^Order History\.csv$/i.test(base) ||
    (h.has('Total Amount') && h.has('Order ID') && h.has('Ship Date'))
  )
    return 'retail-gen2';
  if (/^Digital Items\.csv$/i.test(base) || (h.has('OurPrice') && h.has('OrderId')))
    return 'digital-items-gen1';
  if (
    /^Digital Content Orders\.csv$/i.test(base) ||
    (h.has('Transaction Amount') && h.has('Order ID') && h.has('Component Type'))
  )
    return 'digital-gen2';
  if (/OrdersReturned\.Payments/i.test(path) || (h.has('AmountRefunded') && h.has('OrderID')))
    return 'refunds-gen1';
  if (
    /^Refund Details\.csv$/i.test(base) ||
    (h.has('Refund Amount') && h.has('Refund Date') && h.has('Reversal Status'))
  )
    return 'refunds-gen2';
  if (h.has('Item Total') && h.has('Title') && h.has('Order ID')) return 'legacy-items';
  if (h.has('Total Charged') && h.has('Order ID')) return 'legacy-shipments';
  if (h.has('Refund Amount') && h.has('Refund Date') && h.has('Order ID')) return 'legacy-refunds';
  return null;
}

export interface MappedRow {
  lines?: OrderLine[];
  payments?: OrderPayment[];
  refunds?: Refund[];
  problem?: ImportProblem;
}

function storefrontOf(
  website: string | undefined,
  currency: string | undefined,
  hint: Storefront,
): Storefront {
  const w = (website ?? '').toLowerCase();
  if (w.includes('.co.jp')) return 'amazon-jp';
  if (/amazon\.com$|www\.amazon\.com/.test(w)) return 'amazon-us';
  if (currency === 'JPY') return 'amazon-jp';
  if (currency === 'USD') return 'amazon-us';
  return hint;
}

const currencyOf = (c: string | undefined, sf: Storefront): Currency =>
  c === 'USD' || c === 'JPY' ? c : sf === 'amazon-jp' ? 'JPY' : 'USD';

function statusOf(s: string | undefined): OrderLine['status'] {
  const v = (s ?? '').toLowerCase();
  if (/cancel|キャンセル/.test(v)) return 'cancelled';
  if (/authorized|pending|not yet shipped|未発送/.test(v)) return 'pending';
  return 'ok';
}

/**
 * Creates the row mapper for one file. Rows with the same content in one file get distinct keys by occurrence.
 * UTC timestamps become local dates in the storefront's zone, read from the merchant profiles.
 */
export function amazonRowMapper(
  kind: AmazonFileKind,
  header: string[],
  file: string,
  hint: Storefront,
  merchants: readonly Pick<Merchant, 'id' | 'timezone'>[],
): (row: string[], rowNo: number) => MappedRow {
  const h = headerMap(header);
  const TZ = storefrontZones(merchants);
  // Identical rows (the same item bought twice in one order) are told apart by occurrence. The counter is kept
  // per order, and exports list an order's rows together, so memory stays flat however long the file is.
  let seen = new Map<string, number>();
  let seenOrder = '';
  const occurrence = (base: string, orderId = '') => {
    if (orderId !== seenOrder) {
      seen = new Map();
      seenOrder = orderId;
    }
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n;
  };
  const src = (row: number): SourceRef => ({ file, row });
  const bad = (rowNo: number, detail: string): MappedRow => ({
    problem: { code: 'bad-row', file, row: rowNo, detail },
  });

  const line = (
    row: string[],
    rowNo: number,
    amount: number | null,
    kindOf: OrderLine['kind'],
    extra: Partial<OrderLine> = {},
  ): MappedRow => {
    const orderId = h.get(row, 'orderId');
    if (!orderId) return bad(rowNo, 'no order ID');
    const sf = storefrontOf(h.get(row, 'website'), h.get(row, 'currency'), hint);
    const orderAt = localDateTime(h.get(row, 'orderDate') ?? '', TZ[sf]);
    if (!orderAt) return bad(rowNo, `unreadable order date "${h.get(row, 'orderDate') ?? ''}"`);
    if (amount === null) return bad(rowNo, 'unreadable amount');
    const ship = h.get(row, 'shipDate');
    const shipDate = ship ? (localDateTime(ship, TZ[sf])?.slice(0, 10) ?? null) : null;
    const name = h.get(row, 'name') ?? '';
    const base = stableKey(
      kind,
      orderId,
      h.get(row, 'asin') ?? null,
      name,
      shipDate,
      amount,
      extra.name ?? null,
    );
    return {
      lines: [
        {
          key: stableKey(base, occurrence(base, orderId)),
          orderId,
          storefront: sf,
          kind: kindOf,
          orderAt,
          shipDate,
          name,
          asin: h.get(row, 'asin') ?? null,
          quantity: Number(h.get(row, 'quantity') ?? 1) || 1,
          amount,
          currency: currencyOf(h.get(row, 'currency'), sf),
          status: statusOf(h.get(row, 'status')),
          payment: h.get(row, 'payment') ?? null,
          shipTo: h.get(row, 'shipTo') ?? null,
          seller: h.get(row, 'seller') ?? null,
          category: h.get(row, 'category') ?? null,
          giftTo: h.get(row, 'giftTo') ?? null,
          source: src(rowNo),
          ...extra,
        },
      ],
    };
  };

  const refund = (
    rowNo: number,
    orderId: string | undefined,
    dateRaw: string | undefined,
    amount: number | null,
    currency: string | undefined,
  ): MappedRow => {
    if (!orderId) return bad(rowNo, 'no order ID');
    if (amount === null) return bad(rowNo, 'unreadable amount');
    const sf: Storefront =
      /^D01-/.test(orderId) || currency === 'JPY' ? (currency === 'USD' ? 'amazon-us' : hint) : hint;
    const date = dateRaw ? (localDateTime(dateRaw, TZ[sf])?.slice(0, 10) ?? parseDate(dateRaw, 'mdy')) : null;
    if (!date) return {}; // a refund not completed yet (N/A) is not money back
    const base = stableKey(kind, orderId, date, amount);
    // Refund Details repeats each payout once per return request: the same payout is the same key.
    const key = kind === 'refunds-gen2' ? base : stableKey(base, occurrence(base, orderId));
    return {
      refunds: [
        {
          key,
          orderId,
          date,
          amount: Math.abs(amount),
          currency: currencyOf(currency, sf),
          source: src(rowNo),
        },
      ],
    };
  };

  switch (kind) {
    case 'retail-gen1':
    case 'retail-gen2':
      return (row, rowNo) => line(row, rowNo, parseAmount(h.get(row, 'amount')), 'physical');
    case 'legacy-items':
      return (row, rowNo) => line(row, rowNo, parseAmount(h.col(row, 'Item Total')), 'physical');
    case 'digital-items-gen1':
      return (row, rowNo) => {
        const price = parseAmount(h.col(row, 'OurPrice'));
        const tax = parseAmount(h.col(row, 'OurPriceTax')) ?? 0;
        const gift = /^(y|yes|true|1)$/i.test(h.col(row, 'GiftItem') ?? '');
        return line(row, rowNo, price === null ? null : price + tax, 'digital', gift ? {} : { giftTo: null });
      };
    case 'digital-gen2':
      return (row, rowNo) =>
        line(row, rowNo, parseAmount(h.get(row, 'amount')), 'digital', {
          name: [h.get(row, 'name') ?? '', h.col(row, 'Component Type'), h.col(row, 'Offer Type Code')]
            .filter((x) => x && x !== 'Not Applicable')
            .join(' / '),
        });
    case 'refunds-gen1':
      return (row, rowNo) =>
        refund(
          rowNo,
          h.col(row, 'OrderID'),
          h.col(row, 'RefundCompletionDate'),
          parseAmount(h.col(row, 'AmountRefunded')),
          h.col(row, 'Currency'),
        );
    case 'refunds-gen2':
      return (row, rowNo) =>
        refund(
          rowNo,
          h.get(row, 'orderId'),
          h.col(row, 'Refund Date'),
          parseAmount(h.col(row, 'Refund Amount')),
          h.col(row, 'Currency'),
        );
    case 'legacy-refunds':
      return (row, rowNo) => {
        const a = parseAmount(h.col(row, 'Refund Amount'));
        const t = parseAmount(h.col(row, 'Refund Tax Amount')) ?? 0;
        return refund(
          rowNo,
          h.get(row, 'orderId'),
          h.col(row, 'Refund Date'),
          a === null ? null : a + t,
          'USD',
        );
      };
    case 'legacy-shipments':
      return (row, rowNo) => {
        const orderId = h.get(row, 'orderId');
        const date = parseDate(h.col(row, 'Shipment Date') ?? '', 'mdy');
        const amount = parseAmount(h.col(row, 'Total Charged'));
        if (!orderId || !date || amount === null) return bad(rowNo, 'incomplete shipment row');
        const base = stableKey(kind, orderId, date, amount);
        return {
          payments: [
            {
              key: stableKey(base, occurrence(base, orderId)),
              orderId,
              date,
              amount,
              currency: 'USD',
              method: h.get(row, 'payment') ?? null,
              source: src(rowNo),
            },
          ],
        };
      };
    case 'jp-extension':
      return (row, rowNo) => {
        const orderId = h.get(row, 'orderId');
        const name = h.get(row, 'name') ?? '';
        if (!orderId) return bad(rowNo, 'no order ID');
        const orderDate = parseDate(h.get(row, 'orderDate') ?? '');
        if (!orderDate) return bad(rowNo, 'unreadable order date');
        if (name === '（クレジットカードへの請求）') {
          const date = parseDate(h.col(row, 'クレカ請求日') ?? '');
          const amount = parseAmount(h.col(row, 'クレカ請求額'));
          if (!date || amount === null) return {};
          const base = stableKey(kind, orderId, date, amount);
          return {
            payments: [
              {
                key: stableKey(base, occurrence(base, orderId)),
                orderId,
                date,
                amount,
                currency: 'JPY',
                method: h.col(row, 'クレカ種類') ?? null,
                source: src(rowNo),
              },
            ],
          };
        }
        if (name === '（注文全体）' || name === '（Amazonポイント）' || name === '（ギフト券）') return {};
        const fee = name.startsWith('（');
        const amount = fee
          ? (parseAmount(h.col(row, '商品小計')) ?? parseAmount(h.col(row, '注文合計')))
          : (parseAmount(h.col(row, '商品小計')) ??
            (parseAmount(h.col(row, '価格')) ?? 0) * (Number(h.col(row, '個数')) || 1));
        if (amount === null) return {};
        const shipped = /(\d{4})年(\d{1,2})月(\d{1,2})日に発送/.exec(h.col(row, '状態') ?? '');
        const base = stableKey(kind, orderId, name, amount);
        return {
          lines: [
            {
              key: stableKey(base, occurrence(base, orderId)),
              orderId,
              storefront: 'amazon-jp',
              kind: /^D01-/.test(orderId) ? 'digital' : 'physical',
              orderAt: `${orderDate}T00:00`,
              shipDate: shipped ? parseDate(`${shipped[1]}/${shipped[2]}/${shipped[3]}`) : null,
              name,
              asin: null,
              quantity: Number(h.col(row, '個数')) || 1,
              amount,
              currency: 'JPY',
              status: /キャンセル/.test(h.col(row, '状態') ?? '') ? 'cancelled' : 'ok',
              payment: h.col(row, 'クレカ種類') ?? null,
              shipTo: h.get(row, 'shipTo') ?? null,
              seller: /販売：\s*([^\s]+)/.exec(h.col(row, '付帯情報') ?? '')?.[1] ?? null,
              category: null,
              giftTo: null,
              source: src(rowNo),
            },
          ],
        };
      };
  }
}
