import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { workerPdfReader } from '#adapters/pdf/node-pdf.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';
import { mamori } from '../helpers/cli.ts';
import { mailWithAttachment } from '../helpers/mail.ts';

const knowledge = loadKnowledge();
const limits = knowledge.scoring.limits.pdf;
const reader = workerPdfReader(limits);
afterAll(() => reader.close());

/** A PDF written by pdfkit: each entry one page of lines, a line with `link` a clickable one. */
function pdf(pages: { text: string; link?: string }[][]): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ autoFirstPage: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    for (const lines of pages) {
      doc.addPage();
      for (const l of lines) doc.text(l.text, l.link ? { link: l.link } : {});
    }
    doc.end();
  });
}

const mailWith = (body: string, attachment: Uint8Array, name = 'invoice.pdf') =>
  mailWithAttachment({
    body,
    type: `application/pdf; name="${name}"`,
    filenameParam: `filename="${name}"`,
    content: attachment,
  });

const LURE = [
  { text: 'Amazon: your Amazon account has been suspended. Amazon security team.' },
  { text: 'Verify your account and update your payment information within 24 hours.' },
];
const LONG_LINK = `https://amazon-account-verify.example.top/${'a'.repeat(600)}`;

async function check(raw: Uint8Array, withReader = true): Promise<CheckResult> {
  const out = await checkMessage(raw, knowledge, withReader ? { readPdf: reader } : {});
  if (!out.ok) throw new Error(out.problem.code);
  return out.result;
}

describe('attached PDFs', () => {
  it('the reader gives the text and every link target, however long', async () => {
    const r = await reader(await pdf([[...LURE, { text: 'Sign in', link: LONG_LINK }]]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.text).toContain('payment information');
    expect(r.links).toContain(LONG_LINK);
    expect(r).toMatchObject({ pages: 1, pagesRead: 1, textCapped: false });
  });

  it('a lure only in the PDF is caught, with evidence from the PDF and its link checked', async () => {
    const raw = mailWith(
      'Please see the attached document.',
      await pdf([[...LURE, { text: 'Sign in', link: LONG_LINK }]]),
    );
    const without = await check(raw, false);
    const r = await check(raw);
    expect(r.score).toBeGreaterThan(without.score);
    expect(r.verdict).toBe('phishing');
    expect(r.brand).toBe('amazon-us');
    const ids = r.findings.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['text.credential-request', 'text.urgency', 'attach.pdf']));
    const cred = r.findings.find((f) => f.id === 'text.credential-request')!;
    expect(cred.params).toMatchObject({ field: 'pdf', phrase: 'update your payment' });
    expect(cred.evidence).toMatch(/^pdf: /);
    expect(r.findings.find((f) => f.id === 'attach.pdf')!.evidence).toContain(LONG_LINK.slice(0, 300));
    expect(r.links.some((l) => l.kind === 'attachment' && l.target === LONG_LINK)).toBe(true);
    expect(ids).not.toContain('input.partial');
  });

  it('without a reader, the raw link targets are still listed, of any length', async () => {
    const raw = new TextEncoder().encode(
      `%PDF-1.4\n1 0 obj << /A << /S /URI /URI (${LONG_LINK}) >> >>\n%%EOF`,
    );
    const r = await check(mailWith('See attached.', raw), false);
    expect(r.findings.find((f) => f.id === 'attach.pdf')).toMatchObject({ params: { links: 1 } });
    expect(r.findings.find((f) => f.id === 'attach.pdf')!.evidence).toContain(LONG_LINK.slice(0, 300));
  });

  it('pages past the limit are not read, and the verdict says so', async () => {
    const many = Array.from({ length: limits.maxPages + 2 }, (_, i) => [{ text: `page ${i + 1}` }]);
    const r = await reader(await pdf(many));
    expect(r).toMatchObject({ ok: true, pages: limits.maxPages + 2, pagesRead: limits.maxPages });
    const res = await check(mailWith('See attached.', await pdf(many)));
    expect(res.findings.find((f) => f.id === 'input.partial')?.params).toMatchObject({
      code: 'pdf-partial',
      reason: 'pages',
    });
  });

  it('a broken PDF, one too large and one past the deadline are values, never a crash', async () => {
    expect(await reader(new TextEncoder().encode('%PDF-1.4 garbage'))).toMatchObject({
      ok: false,
      reason: 'unreadable',
    });
    const small = workerPdfReader({ ...limits, maxBytes: 100 });
    expect(await small(await pdf([LURE]))).toEqual({ ok: false, reason: 'too-large' });
    await small.close();
    const hasty = workerPdfReader({ ...limits, timeoutMs: 1 });
    expect(await hasty(await pdf([LURE]))).toEqual({ ok: false, reason: 'timeout' });
    // After a deadline the next PDF gets a fresh worker.
    const next = await hasty(await pdf([LURE]));
    expect(['timeout', undefined]).toContain(next.ok ? undefined : next.reason);
    await hasty.close();
    const r = await check(mailWith('See attached.', new TextEncoder().encode('%PDF-1.4 garbage')));
    expect(r.verdict).not.toBe('legitimate');
    expect(r.findings.find((f) => f.id === 'input.partial')?.params).toMatchObject({
      code: 'pdf-partial',
      reason: 'unreadable',
    });
  });

  it('the command reads the PDF and says "in the attached PDF"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-pdf-'));
    const file = join(dir, 'pdf.eml');
    writeFileSync(file, mailWith('Please see the attached document.', await pdf([LURE])));
    const json = mamori(['check', '--json', file]);
    const r = JSON.parse(json.stdout) as CheckResult;
    expect(r.findings.map((f) => f.id)).toContain('text.credential-request');
    expect(mamori(['check', '--lang', 'en', file]).stdout).toContain('In the attached PDF: ');
    expect(mamori(['check', file]).stdout).toContain('添付の PDF の中: ');
  });
});
