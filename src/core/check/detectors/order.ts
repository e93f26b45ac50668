import { MAX_HITS } from './shared.ts';
import type { Detector, DetectorRegistry } from './types.ts';

const orderUnknown: Detector<'order-unknown'> = (ctx) => {
  if (!ctx.orders?.knows || ctx.orderIds.length === 0) return [];
  const cov = ctx.orders.coverage;
  return ctx.orderIds
    .filter((id) => !ctx.orders!.has(id))
    .slice(0, MAX_HITS)
    .map((id) => ({ evidence: id, params: { orderId: id, from: cov?.from ?? '', to: cov?.to ?? '' } }));
};

const orderKnown: Detector<'order-known'> = (ctx) => {
  if (!ctx.orders?.knows) return [];
  return ctx.orderIds
    .filter((id) => ctx.orders!.has(id))
    .slice(0, MAX_HITS)
    .map((id) => ({ evidence: id, params: { orderId: id } }));
};

/** Order numbers cited in the mail, against the user's own orders. */
export const orderDetectors = {
  'order-unknown': orderUnknown,
  'order-known': orderKnown,
} satisfies Partial<DetectorRegistry>;
