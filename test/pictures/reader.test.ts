import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeImageReader } from '#adapters/image/reader.ts';
import { pictureSize } from '#adapters/image/pixels.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';

const limits = loadKnowledge().scoring.limits.image;
const fixture = (name: string) => new Uint8Array(readFileSync(`test/fixtures/pictures/${name}`));
const reader = nodeImageReader(limits);
afterAll(() => reader.close());
const qrOnly = (b: Uint8Array) => reader(b, { ocr: false, budget: { spentMs: 0 } });

const LOOKALIKE = 'https://amazon-co-jp.verify-account.top/signin?id=8812';

describe('QR codes in pictures (jsQR over pngjs / jpeg-js)', () => {
  it('reads a QR code from a PNG, a JPEG and light-on-dark', async () => {
    for (const name of ['qr-lookalike.png', 'qr-lookalike.jpg', 'qr-inverted.png']) {
      const r = await qrOnly(fixture(name));
      expect(r, name).toMatchObject({ ok: true, width: 800, height: 600, qr: [LOOKALIKE], lines: null });
    }
  });

  it('finds none in a picture without one', async () => {
    expect(await qrOnly(fixture('no-qr.png'))).toMatchObject({ ok: true, qr: [] });
  });

  it('refuses a picture over the pixel limit from its header, before decoding it', async () => {
    const png = fixture('qr-official.png').slice();
    // IHDR width and height: 100000 × 100000.
    new DataView(png.buffer).setUint32(16, 100_000);
    new DataView(png.buffer).setUint32(20, 100_000);
    expect(pictureSize(png)).toEqual({ width: 100_000, height: 100_000 });
    expect(await qrOnly(png)).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('says what it could not read: another format, a broken file, a spent budget', async () => {
    expect(await qrOnly(new TextEncoder().encode('GIF89a....'))).toMatchObject({
      ok: false,
      reason: 'unsupported',
    });
    const broken = fixture('qr-official.png').slice(0, 200);
    expect(await qrOnly(broken)).toMatchObject({ ok: false, reason: 'unreadable' });
    const spent = { spentMs: limits.totalMsPerMail };
    expect(await reader(fixture('qr-official.png'), { ocr: false, budget: spent })).toMatchObject({
      ok: false,
      reason: 'budget',
    });
  });

  it('gives up OCR at its deadline and says so instead of waiting', async () => {
    const quick = nodeImageReader({ ...limits, ocrTimeoutMs: 1 });
    try {
      const r = await quick(fixture('sms-phish-ja.png'), { ocr: true, budget: { spentMs: 0 } });
      expect(r).toMatchObject({ ok: true, lines: null, partial: 'ocr-timeout' });
    } finally {
      await quick.close();
    }
  });
});
