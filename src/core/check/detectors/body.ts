import { MAX_HITS } from './shared.ts';
import { phraseHits } from './text.ts';
import type { Detector, DetectorRegistry } from './types.ts';

const bodyForm: Detector<'body-form'> = (ctx) =>
  (ctx.html?.forms ?? []).slice(0, MAX_HITS).map((f) => ({
    evidence: `<form action="${f.action.slice(0, 160)}" method="${f.method}"> ${f.inputs.slice(0, 8).join(', ')}`,
    params: { action: f.action.slice(0, 160), inputs: f.inputs.slice(0, 8).join(', ') },
  }));

/**
 * Phone numbers as callback scams write them (after NFKC, so full-width digits are ASCII): Japanese numbers
 * (0120-123-456, 03-1234-5678, 050…, +81), North American ones (+1 (888) 555-0123, 1-888-555-0123, 888.555.0123).
 */
const PHONE =
  /(?<![\d-])(?:(?:\+81[\s-]?|0)\d{1,4}[\s-]\d{1,4}[\s-]\d{3,4}|0120\d{6}|0[5-9]0\d{8}|(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]\d{4})(?![\d-])/u;

/**
 * A callback scam (TOAD): a fake order or charge, a number to call "if you did not order this", and no brand that
 * authenticated. No link is needed: the phone call is the attack.
 */
const callback: Detector<'callback'> = (ctx, p) => {
  if (ctx.authenticated) return [];
  const alts = (ctx.html?.imageAlts ?? []).join('\n').normalize('NFKC');
  const inBody = PHONE.exec(ctx.body.norm);
  const inAlt = inBody ? null : PHONE.exec(alts);
  if (!inBody && !inAlt) return [];
  const claims = phraseHits(ctx, p.claims, ['subject', 'body']);
  const asks = phraseHits(ctx, p.asks, ['body']);
  if (!claims.length || !asks.length) return [];
  const phone = (inBody ?? inAlt)![0].trim();
  return [
    {
      evidence: [claims[0]!.evidence, asks[0]!.evidence, `${inBody ? 'body' : 'img alt'}: ${phone}`].join(
        ' / ',
      ),
      params: { phone, claim: String(claims[0]!.params?.phrase ?? ''), where: inBody ? 'body' : 'image-alt' },
    },
  ];
};

/** What the body asks the reader to do in the mail itself: fill in a form, call a number. */
export const bodyDetectors = {
  'body-form': bodyForm,
  callback,
} satisfies Partial<DetectorRegistry>;
