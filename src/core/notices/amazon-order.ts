/** What a genuine Amazon order, shipment or digital-order mail says about the order, where it says it. */
export interface AmazonOrderMail {
  kind: 'order' | 'shipment' | 'delivery' | 'digital';
  orderId: string | null;
  /** YYYY-MM-DD, from the mail's text, else null (the caller may fall back to the Date header). */
  date: string | null;
  items: string[];
  total: number | null;
}

// Amazon's senders by mail kind (card-notices.md Section A: CONFIRMED for these addresses; subjects vary).
const KINDS: Record<string, AmazonOrderMail['kind']> = {
  'auto-confirm': 'order',
  'shipment-tracking': 'shipment',
  'order-update': 'delivery',
  'digital-no-reply': 'digital',
};

const MAX_TEXT = 64 * 1024;
const MAX_ITEMS = 20;

const num = (s: string) => Number(s.normalize('NFKC').replace(/[,\s]/g, ''));

function date(text: string): string | null {
  const m = /(?:注文日|Order (?:Placed|Date))\s*[:：]?\s*(\d{4})[/年-](\d{1,2})[/月-](\d{1,2})/u.exec(text);
  if (!m) return null;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/**
 * Reads an Amazon order-kind mail (by its sender's local part) for order number, date, items and total. Null
 * when the sender is not one of the order senders. Only ever called on a mail the check judged genuine.
 */
export function parseAmazonOrderMail(
  fromAddress: string | null,
  subject: string,
  rawText: string,
): AmazonOrderMail | null {
  const local = (fromAddress ?? '').toLowerCase().split('@')[0] ?? '';
  const kind = KINDS[local];
  if (!kind) return null;
  const text = (rawText.length > MAX_TEXT ? rawText.slice(0, MAX_TEXT) : rawText).normalize('NFKC');
  const both = `${subject.normalize('NFKC')}\n${text}`;
  const id = /\b(D01-\d{7}-\d{7}|\d{3}-\d{7}-\d{7})\b/u.exec(both);
  const items: string[] = [];
  for (const m of text.matchAll(/^(?:商品|Item|\*)\s*[:：]?\s*(.+)$/gmu)) {
    if (items.length >= MAX_ITEMS) break;
    items.push(m[1]!.trim());
  }
  const total =
    /(?:注文合計|合計|Order Total|Shipment total)\s*(?:\(税込\))?\s*[:：]?\s*[￥¥$]\s*([\d,]+(?:\.\d{2})?)/u.exec(
      text,
    ) ?? /(?:価格|商品の小計)\s*[:：]?\s*[￥¥$]\s*([\d,]+)/u.exec(text);
  return {
    kind: kind === 'order' && id?.[1]?.startsWith('D01-') ? 'digital' : kind,
    orderId: id?.[1] ?? null,
    date: date(text),
    items,
    total: total ? num(total[1]!) : null,
  };
}
