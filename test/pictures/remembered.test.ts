import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentCache } from '#adapters/content-cache.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { nodePdf } from '#adapters/pdf/node-pdf.ts';
import { pdfReaders, type JobRunner } from '#adapters/pdf/pdf-readers.ts';
import { pictureReader } from '#adapters/image/read-picture.ts';

const knowledge = loadKnowledge();
const limits = knowledge.scoring.limits;
const bytes = (s: string) => new TextEncoder().encode(s);

describe('readings remembered by content', () => {
  it('keys by SHA-256 and length, keeps only what `keep` allows, and drops the least recently used first', async () => {
    const c = contentCache<string>(2, (v) => v !== 'partial');
    const [a, b, d] = await Promise.all(['a', 'b', 'd'].map((x) => c.keyOf(bytes(x))));
    expect(a).toBe(`1:${'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'}`);
    expect(await c.keyOf(bytes('a'))).toBe(a);
    c.set(a!, 'A');
    c.set(b!, 'partial');
    expect(c.get(b!)).toBeUndefined();
    c.set(b!, 'B');
    expect(c.get(a!)).toBe('A'); // a is now the most recent
    c.set(d!, 'D');
    expect(c.get(b!)).toBeUndefined();
    expect([c.get(a!), c.get(d!), c.size]).toEqual(['A', 'D', 2]);
    const none = contentCache<string>(0, () => true);
    none.set(a!, 'A');
    expect(none.get(a!)).toBeUndefined();
  });

  // A worker that counts its jobs and answers as the PDF worker does; `slow` ends the QR part by its deadline.
  function countingWorker(mode: { qr: 'whole' | 'timeout' }): JobRunner & { jobs: number } {
    const w = {
      jobs: 0,
      async run(payload: Record<string, unknown>, _ms: number, onReply: Parameters<JobRunner['run']>[2]) {
        w.jobs++;
        const text = { ok: true, text: 'Amazon', links: [], pages: 1, pagesRead: 1, textCapped: false };
        if (payload.text && onReply({ id: 1, part: 'text', ...text }, () => {})) return null;
        if (!payload.qr) return null;
        if (mode.qr === 'timeout') return { kind: 'timeout' as const };
        onReply(
          {
            id: 1,
            part: 'qr',
            ok: true,
            width: 0,
            height: 0,
            lines: null,
            qr: ['https://x.example/'],
            qrPages: [1],
            partial: null,
          },
          () => {},
        );
        return null;
      },
      async close() {},
    };
    return w;
  }

  it('a PDF seen before is not read again; one whose reading was cut short is', async () => {
    const whole = countingWorker({ qr: 'whole' });
    const pdf = pdfReaders(whole, { ...limits.pdf, remembered: 8 }, limits.image);
    const file = bytes('%PDF-1.4 one');
    for (let i = 0; i < 3; i++) {
      // A new array each time, as each mail gives its own: the content decides.
      const copy = new Uint8Array(file);
      expect(await pdf.readPdf(copy)).toMatchObject({ ok: true, text: 'Amazon' });
      const budget = { spentMs: 0 };
      expect(await pdf.pdfQr(copy, budget)).toMatchObject({ ok: true, qr: ['https://x.example/'] });
    }
    expect(whole.jobs).toBe(1);
    await pdf.readPdf(bytes('%PDF-1.4 two'));
    expect(whole.jobs).toBe(2);

    const cut = countingWorker({ qr: 'timeout' });
    const again = pdfReaders(cut, { ...limits.pdf, remembered: 8 }, limits.image);
    for (let i = 0; i < 2; i++) {
      const copy = new Uint8Array(file);
      await again.readPdf(copy);
      expect(await again.pdfQr(copy, { spentMs: 0 })).toMatchObject({
        ok: false,
        reason: 'budget',
      });
    }
    expect(cut.jobs).toBe(2);
  });

  it('the real PDF worker gives the same reading the second time, without spending the mail’s budget', async () => {
    const pdf = nodePdf(limits.pdf, limits.image);
    try {
      const file = new Uint8Array(readFileSync('test/fixtures/pictures/qr-lookalike.pdf'));
      const first = await pdf.readPdf(new Uint8Array(file));
      const firstQr = await pdf.pdfQr(new Uint8Array(file), { spentMs: 0 });
      const budget = { spentMs: 0 };
      expect(await pdf.readPdf(new Uint8Array(file))).toEqual(first);
      expect(await pdf.pdfQr(new Uint8Array(file), budget)).toEqual(firstQr);
      expect(firstQr).toMatchObject({ ok: true, qrPages: [1] });
      expect(budget.spentMs).toBe(0);
    } finally {
      await pdf.close();
    }
  });

  it('a picture is decoded once, with and without OCR kept apart', async () => {
    let decoded = 0;
    let ocr = 0;
    const read = pictureReader(
      { ...limits.image, remembered: 4 },
      {
        pixels: () => {
          decoded++;
          return { data: new Uint8ClampedArray(4 * 30 * 30).fill(255), width: 30, height: 30 };
        },
        qr: () => [],
        ocr: async () => {
          ocr++;
          return [{ words: [{ text: 'Amazon', confidence: 95 }] }];
        },
      },
    );
    const png = new Uint8Array(readFileSync('test/fixtures/pictures/qr-lookalike.png'));
    const a = await read(new Uint8Array(png), { ocr: false, budget: { spentMs: 0 } });
    const b = await read(new Uint8Array(png), { ocr: false, budget: { spentMs: 0 } });
    expect(b).toEqual(a);
    expect(decoded).toBe(1);
    await read(new Uint8Array(png), { ocr: true, budget: { spentMs: 0 } });
    await read(new Uint8Array(png), { ocr: true, budget: { spentMs: 0 } });
    expect([decoded, ocr]).toEqual([2, 1]);
    // Over the mail's budget nothing is read, and nothing is remembered for it.
    expect(await read(new Uint8Array(png), { ocr: true, budget: { spentMs: 1e9 } })).toMatchObject({
      reason: 'budget',
    });
  });
});
