import { z } from 'zod';
import type { DetectorId } from './ids.ts';

/**
 * The parameters each detector accepts, as zod schemas. Only validation imports this module (the knowledge build,
 * through `rule-validation.ts`); detectors import the inferred types alone, so the check never loads zod.
 */
const none = z.object({}).strict();
const fields = z.array(z.enum(['subject', 'body'])).min(1);

const schemas = {
  'brand-name-foreign-domain': none,
  'sender-lookalike-domain': none,
  'brand-in-local-part': none,
  'related-domain-mismatch': z
    .object({ fields: z.array(z.enum(['reply-to', 'sender', 'return-path'])).min(1) })
    .strict(),
  freemail: z.object({ list: z.string() }).strict(),
  'date-zone': none,
  'sender-missing': none,
  'foreign-relay': none,

  'spoofed-official': none,
  'aligned-pass': none,
  unverified: none,
  'forged-results': none,
  'provider-spam': none,

  'link-text-mismatch': none,
  'link-lookalike': none,
  'link-ip': none,
  'link-userinfo': none,
  // host-suffix: the link's host is an entry or under it (storage.googleapis.com, *.workers.dev).
  'link-in-list': z.object({ list: z.string(), match: z.enum(['domain', 'tld', 'host-suffix']) }).strict(),
  'link-punycode': none,
  'link-off-brand': z.object({ ignore: z.array(z.string()).default([]) }).strict(),
  'cdn-image-foreign-sender': none,
  'link-brand-path': none,
  'link-path-words': z.object({ list: z.string() }).strict(),
  'link-official': none,

  phrases: z
    .object({
      lists: z.array(z.string()).min(1),
      fields,
      min: z.number().int().min(1).default(1),
      requireClaim: z.boolean().default(false),
      /**
       * `off-brand`: only when nothing authenticates the claimed brand and a link leaves its domains; `foreign`:
       * only with a link to a site no watched brand owns, from a mail nothing authenticates.
       */
      requireLink: z.enum(['none', 'foreign', 'off-brand']).default('none'),
    })
    .strict(),
  'simplified-chinese': z.object({ list: z.string(), minDistinct: z.number().int().min(1), fields }).strict(),
  'kana-injection': z.object({ list: z.string(), min: z.number().int().min(1) }).strict(),
  'invisible-chars': z.object({ min: z.number().int().min(1) }).strict(),
  'brand-obfuscation': none,
  mojibake: z.object({ minShare: z.number().positive() }).strict(),

  'body-form': none,
  /** Phrase lists: what the mail claims happened (an order, a charge), and what it asks (call this number). */
  callback: z.object({ claims: z.array(z.string()).min(1), asks: z.array(z.string()).min(1) }).strict(),

  'attachment-ext': z
    .object({ extensions: z.array(z.string()).min(1), mimeTypes: z.array(z.string()).default([]) })
    .strict(),
  'attachment-html': none,
  'attachment-name-hidden': none,
  'attachment-pdf': none,
  'attachment-pdf-invalid': none,

  'order-unknown': none,
  'order-known': none,

  headerless: none,
  partial: none,
  'charset-repaired': none,
  'qr-link': none,
  'qr-off-brand': none,
  'image-only': none,
} satisfies Record<DetectorId, z.ZodTypeAny>;

/** Each detector's parameters as the rule holds them after validation (defaults applied). */
export type DetectorParams = { [K in DetectorId]: z.output<(typeof schemas)[K]> };

/** Typed per detector, so that parsing `detectorParams[k]` yields `DetectorParams[k]` for a generic `k`. */
export const detectorParams: { [K in DetectorId]: z.ZodType<DetectorParams[K], z.ZodTypeDef, unknown> } =
  schemas;
