/**
 * The mail check in a Web Worker: the page posts the bytes of a mail (or pasted text) and gets the outcome the
 * CLI would print, computed by the same core on the same built knowledge. Nothing is uploaded anywhere.
 */
import checkPart from 'mamori:knowledge/check';
import { checkMessage, orderHistoryFrom, type CheckOutcome } from '#core/check/index.ts';
import { compileCheck } from '#core/knowledge/compile.ts';
import type { ProviderId } from '#core/mail/providers.ts';
import { serve } from './scope.ts';

export interface CheckPayload {
  bytes: Uint8Array;
  /** The user's own order IDs, for the order-number rule. */
  orders?: string[] | null;
  authservIds?: string[];
  /** The user's mail provider (their stored setting), e.g. 'gmail'. */
  provider?: ProviderId | null;
}

const knowledge = compileCheck(checkPart);

serve<'check', CheckPayload, CheckOutcome>('check', (p) =>
  checkMessage(p.bytes, knowledge, {
    orders: p.orders ? orderHistoryFrom(p.orders) : null,
    authservIds: p.authservIds ?? [],
    provider: p.provider ?? null,
  }),
);
