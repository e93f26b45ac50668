/** Where an imported row came from: file (path inside a zip with `!`) and 1-based row number. */
export interface SourceRef {
  file: string;
  row: number;
}

export type Storefront = 'amazon-jp' | 'amazon-us';
export type Currency = 'JPY' | 'USD';

/** One item line of an Amazon order, as the export gives it. */
export interface OrderLine {
  /** Stable across cumulative exports: the same line imported twice has the same key. */
  key: string;
  orderId: string;
  storefront: Storefront;
  kind: 'physical' | 'digital';
  /** Local date and time in the storefront's zone, `YYYY-MM-DDTHH:MM` (time may be `00:00` when unknown). */
  orderAt: string;
  shipDate: string | null;
  name: string;
  asin: string | null;
  quantity: number;
  /** What the line costs, tax included, in currency units. */
  amount: number;
  currency: Currency;
  status: 'ok' | 'cancelled' | 'pending';
  payment: string | null;
  shipTo: string | null;
  seller: string | null;
  category: string | null;
  /** A digital gift's recipient (e-mail or name), when it was sent to someone else. */
  giftTo: string | null;
  source: SourceRef;
}

/** A payment the export itself ties to an order (the JP extension's card rows, legacy shipment totals). */
export interface OrderPayment {
  key: string;
  orderId: string;
  date: string;
  amount: number;
  currency: Currency;
  method: string | null;
  source: SourceRef;
}

export interface Refund {
  key: string;
  orderId: string;
  date: string;
  amount: number;
  currency: Currency;
  source: SourceRef;
}

/** One row of a card statement. Positive amounts are charges; negative are refunds and credits. */
export interface CardCharge {
  key: string;
  date: string;
  description: string;
  amount: number;
  currency: Currency;
  cardholder: string | null;
  layout: string;
  source: SourceRef;
  /** The row's cells as the statement prints them (the card company matches its own wording, not ours). */
  printed?: PrintedLine;
  /** The card, where the file says which: issuer from the layout, last four digits from a masked number. */
  card?: CardInfo;
}

export interface PrintedLine {
  date: string;
  description: string;
  amount: string;
}

export interface CardInfo {
  issuer?: string;
  /** The card's own name as the statement gives it (三井住友カード(NL)). */
  name?: string;
  last4?: string;
}

/** Expected failures of an import, each with a code for the message and the facts to show. */
export interface ImportProblem {
  code:
    | 'unknown-layout'
    | 'ambiguous-layout'
    | 'empty'
    | 'bad-row'
    | 'no-rows'
    | 'encoding'
    | 'zip-corrupt'
    | 'zip-bomb'
    | 'too-large'
    | 'not-found'
    | 'unreadable'
    | 'damaged'
    | 'unsupported'
    | 'bad-mapping'
    | 'mixed-encoding'
    | 'not-a-file'
    | 'skipped-special'
    | 'skipped-link'
    | 'pdf'
    | 'image'
    | 'header-only'
    | 'no-order-ids';
  file: string;
  row?: number;
  detail?: string;
  /** For unknown layouts: the columns seen, so the message can say how to map them. */
  columns?: string[];
  recognised?: string[];
  /** For ambiguous layouts: the ids of the layouts that all fit, none more specific than the others. */
  candidates?: string[];
}
