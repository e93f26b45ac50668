/**
 * Every detector a rule in data/rules may name, by area. The one list: the rule schema accepts only these, the
 * parameter schemas (`params.ts`) and the registry (`index.ts`) must each cover exactly these.
 */
export const detectorIds = [
  // sender
  'brand-name-foreign-domain',
  'sender-lookalike-domain',
  'brand-in-local-part',
  'related-domain-mismatch',
  'freemail',
  'date-zone',
  'sender-missing',
  'foreign-relay',
  // auth
  'spoofed-official',
  'aligned-pass',
  'unverified',
  'forged-results',
  'provider-spam',
  // link
  'link-text-mismatch',
  'link-lookalike',
  'link-ip',
  'link-userinfo',
  'link-in-list',
  'link-punycode',
  'link-off-brand',
  'cdn-image-foreign-sender',
  'link-brand-path',
  'link-path-words',
  'link-official',
  // text
  'phrases',
  'simplified-chinese',
  'kana-injection',
  'invisible-chars',
  'brand-obfuscation',
  'mojibake',
  // body
  'body-form',
  'callback',
  // attach
  'attachment-ext',
  'attachment-html',
  'attachment-name-hidden',
  'attachment-pdf',
  'attachment-pdf-invalid',
  // order
  'order-unknown',
  'order-known',
  // image (pictures: QR codes, image-only mail)
  'qr-link',
  'qr-off-brand',
  'image-only',
  // input
  'headerless',
  'partial',
  'charset-repaired',
] as const;
export type DetectorId = (typeof detectorIds)[number];
