import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeImageReader } from '#adapters/image/reader.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { nodePdf } from '#adapters/pdf/node-pdf.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';
import type { ImageReader, OcrLine } from '#core/ports/image-reader.ts';

const knowledge = loadKnowledge();
// The worker loads the network tripwire first: OCR runs with every socket and DNS look-up refused.
const tripwire = fileURLToPath(new URL('../setup/deny-network.js', import.meta.url));
const readImage = nodeImageReader(knowledge.scoring.limits.image, { preload: tripwire });
afterAll(() => readImage.close());

const fixture = (name: string) => new Uint8Array(readFileSync(`test/fixtures/pictures/${name}`));
async function check(bytes: Uint8Array, reader: ImageReader = readImage): Promise<CheckResult> {
  const o = await checkMessage(bytes, knowledge, { readImage: reader });
  if (!o.ok) throw new Error(`not checked: ${JSON.stringify(o.problem)}`);
  return o.result;
}
const ids = (r: CheckResult) => r.findings.map((f) => f.id);

describe('a screenshot is read by OCR and checked as the message it shows', () => {
  it('a Japanese SMS with a look-alike link is phishing; the URL is shown as read', async () => {
    const r = await check(fixture('sms-phish-ja.png'));
    expect(r.verdict).toBe('phishing');
    expect(r.brand).toBe('amazon-jp');
    expect(ids(r)).toEqual(expect.arrayContaining(['link.lookalike-host', 'sms.lure']));
    expect(r.picture?.read).toContainEqual(
      expect.objectContaining({ kind: 'url', text: 'https://amazon-co-jp.account-verify.top/login' }),
    );
    expect(r.links.map((l) => l.target)).toContain('https://amazon-co-jp.account-verify.top/login');
  });

  it('the same screenshot saved as JPEG or WebP is phishing too', async () => {
    expect((await check(fixture('sms-phish-ja.jpg'))).verdict).toBe('phishing');
    // WebP: OCR reads it; no pure-JavaScript WebP decoder is installed, so its QR codes are not searched.
    expect((await check(fixture('sms-phish-ja.webp'))).verdict).toBe('phishing');
  });

  it('an ordinary message from family is not flagged (Japanese SMS, English mail)', async () => {
    for (const name of ['sms-ordinary-ja.png', 'mail-ordinary-en.png']) {
      const r = await check(fixture(name));
      expect(r.verdict, name).toBe('unrelated');
      expect(
        r.findings.filter((f) => f.severity !== 'info').map((f) => f.id),
        name,
      ).toEqual([]);
      expect(r.picture, name).toBeDefined();
    }
  });

  it('a phone number in the picture feeds the callback-scam rule (050-…)', async () => {
    const r = await check(fixture('sms-callback-ja.png'));
    expect(ids(r)).toContain('body.callback');
    expect(r.verdict).toBe('phishing');
    expect(r.picture?.read).toContainEqual(expect.objectContaining({ kind: 'phone', text: '050-3184-2760' }));
  });

  it('an English mail screenshot: a misread sender domain is marked uncertain and reads as input.partial', async () => {
    const r = await check(fixture('mail-phish-en.png'));
    expect(r.verdict).toBe('phishing');
    const uncertain = r.picture?.read.filter((i) => i.uncertain) ?? [];
    expect(uncertain.length).toBeGreaterThan(0);
    expect(r.findings.find((f) => f.id === 'input.partial')?.params.code).toBe('ocr-uncertain');
  });

  it('a QR code in a screenshot is a link, judged and shown where it was found', async () => {
    const r = await check(fixture('qr-lookalike.png'));
    expect(r.verdict).toBe('phishing');
    expect(r.findings.find((f) => f.id === 'qr.link')?.evidence).toBe(
      'QR code in image 1: https://amazon-co-jp.verify-account.top/signin?id=8812',
    );
  });

  it('a picture with nothing to read is said so, not a verdict', async () => {
    const o = await checkMessage(fixture('no-qr.png'), knowledge, { readImage });
    expect(o).toMatchObject({ ok: false, problem: { code: 'picture-unreadable' } });
  });
});

describe('a low-confidence character in a domain never makes a verdict legitimate', () => {
  const official = 'https://www.amazon.co.jp/gp/css/order-history';
  const reading =
    (confidence: number): ImageReader =>
    async () => ({
      ok: true,
      width: 390,
      height: 200,
      lines: [{ words: [{ text: official, confidence }] }] satisfies OcrLine[],
      qr: [],
      partial: null,
    });
  it('read with confidence: the brand’s own link is legitimate', async () => {
    expect((await check(fixture('sms-ordinary-ja.png'), reading(96))).verdict).toBe('legitimate');
  });
  it('read with a doubtful character: not legitimate, and the URL is marked uncertain', async () => {
    const r = await check(fixture('sms-ordinary-ja.png'), reading(55));
    expect(r.verdict).not.toBe('legitimate');
    expect(r.picture?.read).toEqual([{ kind: 'url', text: official, confidence: 55, uncertain: true }]);
  });
});

describe('pictures in mails', () => {
  it('a QR code to a look-alike in an attached PNG is phishing, the decoded URL as evidence', async () => {
    const r = await check(fixture('mail-qr-lookalike.eml'));
    expect(r.verdict).toBe('phishing');
    const f = r.findings.find((x) => x.id === 'qr.off-brand');
    expect(f?.severity).toBe('critical');
    expect(f?.evidence).toBe(
      'QR code in image 1 (verify.png): https://amazon-co-jp.verify-account.top/signin?id=8812',
    );
    expect(ids(r)).toContain('link.lookalike-host');
  });

  it('an inline JPEG QR code (cid:) counts the same', async () => {
    const r = await check(fixture('mail-qr-inline.eml'));
    expect(ids(r)).toContain('qr.off-brand');
  });

  it('a QR code to the brand’s own site, from a friend, is not flagged', async () => {
    const r = await check(fixture('mail-qr-official.eml'));
    expect(ids(r)).not.toContain('qr.off-brand');
    expect(r.verdict).toBe('unrelated');
  });

  it('an image-only mail is a signal of its own, and its picture’s text is judged too', async () => {
    const r = await check(fixture('mail-image-only.eml'));
    expect(r.verdict).toBe('phishing');
    expect(ids(r)).toEqual(expect.arrayContaining(['image.only-picture', 'text.credential-request']));
  });

  it('pictures past the per-mail limit are not read, and the verdict says so', async () => {
    const k = structuredClone(knowledge);
    k.scoring.limits.image.maxImagesPerMail = 0;
    const o = await checkMessage(fixture('mail-qr-lookalike.eml'), k, { readImage });
    expect(o.ok && o.result.findings.find((f) => f.id === 'input.partial')?.params).toMatchObject({
      code: 'image-partial',
      reason: 'images-per-mail',
    });
    expect(o.ok && o.result.findings.map((f) => f.id)).not.toContain('qr.off-brand');
  });
});

describe('QR codes on PDF pages', () => {
  it('a QR code in an attached PDF invoice is found on its page and judged', async () => {
    const r = await check(fixture('mail-qr-pdf.eml'));
    expect(r.verdict).toBe('phishing');
    expect(r.findings.find((f) => f.id === 'qr.off-brand')?.evidence).toBe(
      'QR code in invoice.pdf page 1: https://amazon-co-jp.verify-account.top/signin?id=8812',
    );
  });

  it('the PDF reader gives each code with its page; a broken PDF gives none', async () => {
    const reading = await readImage.pdfQr!(
      new Uint8Array(readFileSync('test/fixtures/pictures/qr-lookalike.pdf')),
      { spentMs: 0 },
    );
    expect(reading).toMatchObject({
      ok: true,
      qr: ['https://amazon-co-jp.verify-account.top/signin?id=8812'],
      qrPages: [1],
    });
    const none = await readImage.pdfQr!(new TextEncoder().encode('%PDF-1.4\n%broken'), { spentMs: 0 });
    expect(none.ok ? none.qr : []).toEqual([]);
  });

  it('one pass over a PDF gives its text and its QR codes: the check reads both through the shared reader', async () => {
    const limits = knowledge.scoring.limits;
    const pdf = nodePdf(limits.pdf, limits.image);
    const reader = nodeImageReader(limits.image, { pdf, preload: tripwire });
    try {
      const o = await checkMessage(fixture('mail-qr-pdf.eml'), knowledge, {
        readPdf: pdf.readPdf,
        readImage: reader,
      });
      expect(o.ok && o.result.verdict).toBe('phishing');
      expect(o.ok && o.result.findings.find((f) => f.id === 'qr.off-brand')?.evidence).toBe(
        'QR code in invoice.pdf page 1: https://amazon-co-jp.verify-account.top/signin?id=8812',
      );
      // Asked for the same bytes after their text, the QR search is the one begun with it, charged to the budget
      // (a reader that remembers nothing, so the PDF is read again).
      const fresh = nodePdf({ ...limits.pdf, remembered: 0 }, limits.image);
      try {
        const bytes = new Uint8Array(readFileSync('test/fixtures/pictures/qr-lookalike.pdf'));
        const text = await fresh.readPdf(bytes);
        expect(text.ok).toBe(true);
        const budget = { spentMs: 0 };
        expect(await fresh.pdfQr(bytes, budget)).toMatchObject({ ok: true, qrPages: [1] });
        expect(budget.spentMs).toBeGreaterThan(0);
      } finally {
        await fresh.close();
      }
      // A PDF that cannot be opened fails both parts, as values.
      const broken = new TextEncoder().encode('%PDF-1.4\n%broken');
      expect(await pdf.readPdf(broken)).toMatchObject({ ok: false, reason: 'unreadable' });
      expect(await pdf.pdfQr(broken, { spentMs: 0 })).toMatchObject({ ok: false, reason: 'unreadable' });
    } finally {
      await pdf.close();
      await reader.close();
    }
  });
});
