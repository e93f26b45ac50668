import type { Finding } from '#core/findings.ts';
import type { Currency } from '#core/ledger/types.ts';
import type { Order } from './orders.ts';
import type { RiskLevel } from './risk.ts';

export type ChargeCategory =
  | 'order'
  | 'subscription'
  | 'refund'
  | 'duplicate'
  | 'cancelled-but-charged'
  | 'amazon-pay'
  | 'unexplained'
  | 'other-merchant';
/** Categories in the order a person should look at them: what needs action first. */
export const chargeCategories: readonly ChargeCategory[] = [
  'unexplained',
  'cancelled-but-charged',
  'duplicate',
  'amazon-pay',
  'order',
  'subscription',
  'refund',
  'other-merchant',
];

export interface ExplainedCharge {
  key: string;
  date: string;
  description: string;
  amount: number;
  currency: Currency;
  category: ChargeCategory;
  risk: RiskLevel;
  orderIds: string[];
  findings: Finding[];
  source: string;
}

export interface ExplainedOrder {
  orderId: string;
  date: string;
  time: string | null;
  total: number;
  currency: Currency;
  status: Order['status'];
  items: string[];
  risk: RiskLevel;
  findings: Finding[];
  chargeKeys: string[];
}

export interface ReconcileResult {
  charges: ExplainedCharge[];
  orders: ExplainedOrder[];
  summary: {
    charges: number;
    orders: number;
    byCategory: Partial<Record<ChargeCategory, { count: number; total: number }>>;
    byRisk: Record<RiskLevel, number>;
    ordersWithoutCharge: number;
    period: { from: string; to: string } | null;
  };
}
