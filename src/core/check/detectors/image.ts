import { isOwnLink } from '../context.ts';
import { MAX_HITS } from './shared.ts';
import type { Detector, DetectorRegistry } from './types.ts';

const qrEvidence = (where: string, target: string) => `QR code in ${where}: ${target.slice(0, 300)}`;

/** Every QR code found in the mail's pictures: a link the reader would follow with a phone, shown with where it was. */
const qrLink: Detector<'qr-link'> = (ctx) =>
  ctx.pictures.qr.slice(0, MAX_HITS).map((q) => ({
    evidence: qrEvidence(q.where, q.link.target),
    params: { where: q.where, url: q.link.target.slice(0, 300), domain: q.link.domain ?? q.link.host ?? '' },
  }));

/**
 * A QR code leading off the claimed brand's domains, in a mail that claims the brand and is not authenticated for
 * it: "scan to verify your account" sends the phone to the scammer's site, where no mail filter looked.
 */
const qrOffBrand: Detector<'qr-off-brand'> = (ctx) => {
  if (!ctx.merchant || ctx.authenticated) return [];
  return ctx.pictures.qr
    .filter((q) => /^https?:/i.test(q.link.target) && !isOwnLink(ctx, q.link.domain))
    .slice(0, MAX_HITS)
    .map((q) => ({
      evidence: qrEvidence(q.where, q.link.target),
      params: {
        where: q.where,
        url: q.link.target.slice(0, 300),
        domain: q.link.domain ?? q.link.host ?? '',
        brand: ctx.merchant!.name,
      },
    }));
};

/**
 * An image-only mail: (almost) no text besides pictures, a link around the picture, claiming a brand it is not
 * authenticated for. There is nothing for text rules to read; that is the point of sending it so.
 */
const imageOnly: Detector<'image-only'> = (ctx) => {
  const html = ctx.html;
  if (!ctx.merchant || ctx.authenticated || !html || html.images.length === 0) return [];
  if (ctx.pictures.visibleChars > ctx.knowledge.scoring.limits.image.imageOnlyMaxChars) return [];
  const around = html.anchors.find(
    (a) => /^https?:/i.test(a.href) && a.text.replace(/\s+/g, '').length <= 40,
  );
  if (!around) return [];
  return [
    {
      evidence: `${html.images.length} image(s), ${ctx.pictures.visibleChars} characters of text, link ${around.href.slice(0, 200)}`,
      params: {
        images: html.images.length,
        chars: ctx.pictures.visibleChars,
        url: around.href.slice(0, 200),
        brand: ctx.merchant.name,
      },
    },
  ];
};

/** What the mail's pictures hold: QR codes, a message sent as one picture. */
export const imageDetectors = {
  'qr-link': qrLink,
  'qr-off-brand': qrOffBrand,
  'image-only': imageOnly,
} satisfies Partial<DetectorRegistry>;
