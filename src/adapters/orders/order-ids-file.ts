import { readFileSync } from 'node:fs';
import { decodeUnknown } from '#core/mail/decode.ts';
import { extractOrderIds, orderHistoryFrom, type OrderHistory } from '#core/check/index.ts';

/**
 * The simplest order history: every Amazon order ID that appears in a text or CSV file (any export layout
 * carries the IDs verbatim). Throws with a user-facing reason when the file holds none.
 */
export function orderHistoryFromTextFile(path: string): OrderHistory {
  const { text } = decodeUnknown(readFileSync(path));
  const ids = extractOrderIds(text);
  if (ids.length === 0)
    throw new Error('no Amazon order numbers (such as 249-1234567-1234567) were found in the file');
  return orderHistoryFrom(ids);
}
