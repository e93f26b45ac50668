import type { Finding } from '#core/findings.ts';
import type { Situation } from '#core/knowledge/constants.ts';
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
  /** An Amazon purchase that could not be checked: no Amazon order data was loaded. Never graded. */
  | 'unverified'
  | 'other-merchant';
/** Categories in the order a person should look at them: what needs action first. */
export const chargeCategories: readonly ChargeCategory[] = [
  'unexplained',
  'unverified',
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
  /** null: not graded (`unverified`: with no order data, "no matching order" says nothing about fraud). */
  risk: RiskLevel | null;
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
  /**
   * The situations of `mamori plan` the findings show: risky orders in the account → `unknown-order` (and
   * `account-changed` when one ships to an address never used before), charges to dispute → `unknown-charge`.
   */
  suggestedSituations: Situation[];
  summary: {
    charges: number;
    orders: number;
    byCategory: Partial<Record<ChargeCategory, { count: number; total: number }>>;
    byRisk: Record<RiskLevel, number>;
    ordersWithoutCharge: number;
    /** No Amazon order data was loaded: Amazon purchases are `unverified`, not graded. */
    noOrderData: boolean;
    period: { from: string; to: string } | null;
  };
}
