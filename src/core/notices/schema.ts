import { z } from 'zod';

/**
 * One card issuer's usage-notice mails (data/notices/<issuer>.yaml), validated once at build time. Each layout
 * is one regular expression with named groups: `date` (year, month, day in the order `dateOrder` says; a US month may
 * be a name, "Oct 6, 2026"), `amount` (a US amount with its cents), and optionally `merchant` and `kind` (買物 / 取消 /
 * 返品). A mail may hold several blocks: the layout is matched globally.
 */
const layout = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    status: z.enum(['confirmed', 'uncertain']),
    source: z.string().min(1),
    pattern: z.string().min(1),
    /** The whole mail is a cancellation (JCB's 取消 mail), whatever `kind` says. */
    cancellation: z.boolean().default(false),
    /** `ymd` (2026/11/19, 2026年11月19日) or `mdy` (06/07/2026, Oct 6, 2026, MAY 22, 2016). */
    dateOrder: z.enum(['ymd', 'mdy']).default('ymd'),
    /**
     * The pattern reads the subject line, a newline, then the body (Chase names the merchant only in the subject);
     * `^` (without the m flag) is the subject's start.
     */
    withSubject: z.boolean().default(false),
  })
  .strict()
  .superRefine((l, ctx) => {
    let re: RegExp;
    try {
      re = new RegExp(l.pattern, 'gu');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `pattern does not compile: ${String(e)}` });
      return;
    }
    for (const g of ['date', 'amount'])
      if (!l.pattern.includes(`(?<${g}>`))
        ctx.addIssue({ code: 'custom', message: `pattern lacks (?<${g}>…)` });
    void re;
  });

const noticeCase = z
  .object({
    name: z.string(),
    subject: z.string(),
    text: z.string(),
    /** What the case must give: the charges in order (empty: the mail is not a charge). */
    charges: z.array(
      z
        .object({
          date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          amount: z.number(),
          merchant: z.string().nullable(),
          cancellation: z.boolean().default(false),
        })
        .strict(),
    ),
  })
  .strict();

export const noticeFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** The merchant profile (data/merchants) whose authenticated mail this must be; nothing else counts. */
    issuer: z.string(),
    currency: z.enum(['JPY', 'USD']),
    status: z.enum(['confirmed', 'uncertain']),
    source: z.string().min(1),
    /** Exact From addresses, lower case. */
    senders: z.array(z.string().email()).min(1),
    /** The subject contains one of these. */
    subjects: z.array(z.string().min(1)).min(1),
    /** Text that means "no charge" although the labels are the same (a declined card, a points payment). */
    ignore: z.array(z.string().min(1)).default([]),
    /** What the merchant field says when the issuer names no merchant (ビューカード 速報: 国内加盟店): read as none. */
    noMerchant: z.array(z.string().min(1)).default([]),
    layouts: z.array(layout).min(1),
    cases: z.array(noticeCase).min(2),
  })
  .strict();

export type NoticeFile = z.infer<typeof noticeFileSchema>;

const testChargeFact = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    amount: z.number(),
    currency: z.enum(['JPY', 'USD']),
    cancellation: z.boolean().default(false),
  })
  .strict();

/** data/notices/test-charges.yaml: the thresholds of a thief's test charge, with cases that must hit and must not. */
export const testChargeFileSchema = z
  .object({
    windowDays: z.number().int().min(0).max(31),
    limits: z
      .array(z.object({ currency: z.enum(['JPY', 'USD']), max: z.number().positive() }).strict())
      .min(1),
    cases: z
      .array(
        z
          .object({
            name: z.string(),
            /** Recorded in this order; the last one is judged. */
            charges: z.array(testChargeFact).min(1),
            expect: z.enum(['small', 'cancelled']).nullable(),
            /** For `cancelled`: whether the charge it takes back is among the earlier ones. */
            paired: z.boolean().optional(),
          })
          .strict(),
      )
      .min(2),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (!f.cases.some((c) => c.expect !== null) || !f.cases.some((c) => c.expect === null))
      ctx.addIssue({ code: 'custom', message: 'needs cases that must hit and cases that must not' });
  });

export type TestChargeFile = z.infer<typeof testChargeFileSchema>;
