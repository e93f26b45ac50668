import type { Currency } from '#core/ledger/types.ts';
import type { TestChargeRule } from './test-charges.ts';

/** One issuer's notice templates as built into dist/knowledge/notices.json (the cases left out). */
export interface NoticeTemplate {
  id: string;
  issuer: string;
  currency: Currency;
  status: 'confirmed' | 'uncertain';
  senders: string[];
  subjects: string[];
  ignore: string[];
  noMerchant: string[];
  layouts: {
    id: string;
    status: 'confirmed' | 'uncertain';
    pattern: string;
    cancellation: boolean;
    dateOrder: 'ymd' | 'mdy';
    withSubject: boolean;
  }[];
}

export interface NoticeKnowledge {
  templates: NoticeTemplate[];
  /** data/notices/test-charges.yaml without its cases. */
  testCharges: TestChargeRule;
}

/** One charge a usage notice reports. `merchant` is null where the issuer does not say (速報, エポス, ビューカード 速報). */
export interface NoticeCharge {
  date: string;
  amount: number;
  merchant: string | null;
  cancellation: boolean;
}

export interface ParsedNotice {
  template: string;
  issuer: string;
  layout: string;
  currency: Currency;
  /** The template or layout is marked uncertain in the reference: the charge is kept, and says so. */
  uncertain: boolean;
  charges: NoticeCharge[];
}
