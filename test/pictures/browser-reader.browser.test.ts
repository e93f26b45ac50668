// The browser ImageReader inside Chromium: pixels from createImageBitmap + OffscreenCanvas, so a QR code is found in
// a PNG, a JPEG and a WebP (Node has no WebP decoder for QR), light-on-dark too; limits and deadlines are values.
// With the OCR files the web build made (dist/web/ocr/), a deadline that passes ends the tesseract worker and the
// next picture is read by a new one; OCR end to end in the app is in test/e2e/pictures.*.spec.ts.
import { describe, expect, it } from 'vitest';
import { browserImageReader } from '#adapters/image-browser/index.ts';

const limits = {
  maxPixels: 12_000_000,
  maxBytes: 20 * 1024 * 1024,
  maxImagesPerMail: 10,
  maxPdfPages: 2,
  ocrTimeoutMs: 15_000,
  totalMsPerMail: 30_000,
  minConfidence: 80,
  imageOnlyMaxChars: 40,
};
// No OCR files here: OCR is asked for only in the deadline test, where the worker never gets to start.
const assets = { base: new URL('/no-ocr-here/', location.href).href, core: { simd: 'x.js', plain: 'y.js' } };
const fixture = async (name: string) =>
  new Uint8Array(await (await fetch(`/test/fixtures/pictures/${name}`)).arrayBuffer());
const lookalike = 'https://amazon-co-jp.verify-account.top/signin?id=8812';

/** A WebP of a fixture, made by this browser (Chromium encodes WebP; the fixtures' QR PNG is the source). */
async function asWebp(png: Uint8Array): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(new Blob([new Uint8Array(png)]));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/webp', quality: 0.95 });
  return new Uint8Array(await blob.arrayBuffer());
}

describe('browserImageReader', () => {
  const read = browserImageReader(limits, assets);

  it('finds the QR code in a PNG, a JPEG and a WebP, and light-on-dark', async () => {
    const png = await fixture('qr-lookalike.png');
    const webp = await asWebp(png);
    expect(String.fromCharCode(...webp.slice(8, 12))).toBe('WEBP');
    for (const [name, bytes] of [
      ['png', png],
      ['jpeg', await fixture('qr-lookalike.jpg')],
      ['webp', webp],
    ] as const) {
      const r = await read(bytes, { ocr: false, budget: { spentMs: 0 } });
      expect(r, name).toEqual({
        ok: true,
        width: 800,
        height: 600,
        lines: null,
        qr: [lookalike],
        partial: null,
      });
    }
    const inverted = await read(await fixture('qr-inverted.png'), { ocr: false, budget: { spentMs: 0 } });
    expect(inverted.ok && inverted.qr.length).toBe(1);
    const none = await read(await fixture('no-qr.png'), { ocr: false, budget: { spentMs: 0 } });
    expect(none).toMatchObject({ ok: true, qr: [] });
  });

  it('refuses by the header, before decoding, and reads nothing once the budget is spent', async () => {
    const png = await fixture('qr-lookalike.png');
    const small = browserImageReader({ ...limits, maxPixels: 1000 }, assets);
    expect(await small(png, { ocr: false, budget: { spentMs: 0 } })).toMatchObject({
      ok: false,
      reason: 'too-large',
    });
    expect(
      await read(new TextEncoder().encode('GIF89a....'), { ocr: false, budget: { spentMs: 0 } }),
    ).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(await read(png, { ocr: false, budget: { spentMs: 30_000 } })).toEqual({
      ok: false,
      reason: 'budget',
    });
  });

  it('gives up OCR at its deadline and says so (the QR codes still come back), never waiting', async () => {
    const quick = browserImageReader({ ...limits, ocrTimeoutMs: 50 }, assets);
    const budget = { spentMs: 0 };
    const t = performance.now();
    const r = await quick(await fixture('qr-lookalike.png'), { ocr: true, budget });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(r).toMatchObject({ ok: true, qr: [lookalike], lines: null });
    expect(r.ok && ['ocr-timeout', 'ocr-failed']).toContain(r.ok && r.partial);
    expect(budget.spentMs).toBeGreaterThan(0);
    await quick.close();
  });
});

// The OCR files as the web build serves them (dist/web/ocr/<versions>/, made by `node scripts/build.mjs`).
const built = Object.keys(import.meta.glob('/dist/web/ocr/*/entry.js'));
const ocrBase = built[0] ? new URL(built[0].replace(/entry\.js$/, ''), location.href).href : null;

describe.skipIf(!ocrBase)('browserImageReader with the built OCR files', () => {
  const core = { simd: 'tesseract-core-simd-lstm.js', plain: 'tesseract-core-lstm.js' };

  it('ends the OCR worker at the deadline (ocr-timeout), then reads the next picture with a new one', async () => {
    let started = 0;
    const read = browserImageReader(
      { ...limits, ocrTimeoutMs: 30 },
      { base: ocrBase!, core },
      { onOcr: () => started++ },
    );
    const shot = await fixture('sms-phish-ja.png');
    const r = await read(shot, { ocr: true, budget: { spentMs: 0 } });
    expect(r).toMatchObject({ ok: true, lines: null, partial: 'ocr-timeout' });
    const patient = browserImageReader(limits, { base: ocrBase!, core });
    const again = await patient(shot, { ocr: true, budget: { spentMs: 0 } });
    expect(again.ok && again.partial).toBe(null);
    const text = again.ok
      ? (again.lines ?? []).map((l) => l.words.map((w) => w.text).join('')).join('\n')
      : '';
    // The lines as OCR read them (the core joins a URL the phone wrapped at the edge).
    expect(text).toContain('o-jp.account-verify.top/login');
    expect(started).toBe(1);
    await Promise.all([read.close(), patient.close()]);
  });
});
