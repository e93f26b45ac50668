import { existsSync } from 'node:fs';
import type { ReportDoc } from '#core/report/report.ts';

/** Fonts that carry Japanese, in the order tried: MAMORI_FONT, Debian's Noto CJK, macOS, Windows. */
const CANDIDATES: [string, string | undefined][] = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKjp-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKjp-Regular'],
  ['/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKjp-Regular'],
  ['/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKjp-Regular'],
  ['/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc', 'HiraginoSans-W3'],
  ['C:\\Windows\\Fonts\\meiryo.ttc', 'Meiryo'],
  ['C:\\Windows\\Fonts\\msgothic.ttc', 'MS-Gothic'],
];

export class FontMissingError extends Error {}

export function findJapaneseFont(env: NodeJS.ProcessEnv = process.env): { path: string; family?: string } {
  if (env.MAMORI_FONT) {
    if (!existsSync(env.MAMORI_FONT)) throw new FontMissingError(env.MAMORI_FONT);
    return { path: env.MAMORI_FONT, family: env.MAMORI_FONT_FAMILY };
  }
  const hit = CANDIDATES.find(([p]) => existsSync(p));
  if (!hit) throw new FontMissingError('no Japanese font');
  return { path: hit[0], family: hit[1] };
}

/** Renders the report to PDF with a Japanese font embedded (subset), so Japanese reads the same everywhere. */
export async function renderPdf(doc: ReportDoc): Promise<Buffer> {
  const font = findJapaneseFont();
  // pdfkit (and its font engine) is loaded only when a PDF is asked for: every other command starts faster.
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: doc.title, Creator: 'mamori' },
    lang: doc.lang === 'ja' ? 'ja-JP' : 'en-US',
  } as PDFKit.PDFDocumentOptions);
  pdf.registerFont('body', font.path, font.family as string);
  pdf.font('body');
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 96;
  pdf.fontSize(18).text(doc.title, { width });
  pdf.fontSize(10).fillColor('#444').text(doc.subtitle, { width }).fillColor('black').moveDown();
  for (const s of doc.sections) {
    // An appendix (a mail's headers) starts on its own page, after the document it supports.
    if (s.pre) pdf.addPage();
    pdf.moveDown(0.5).fontSize(13).text(s.heading, 48, pdf.y, { width }).moveDown(0.3).fontSize(9.5);
    for (const i of s.items ?? []) pdf.text(`• ${i}`, { width, indent: 6 });
    if (s.table) {
      const table = s.table;
      const cols = table.columns.length;
      const all = [table.columns, ...table.rows];
      // Each column gets at least its widest unbreakable token (an order ID never wraps), then a share of the rest.
      const tokenW = (c: string) => Math.max(0, ...c.split(/[\s、;]+/).map((tok) => pdf.widthOfString(tok)));
      const minW = Array.from(
        { length: cols },
        (_, i) => Math.max(...all.map((r) => tokenW(r[i] ?? ''))) + 8,
      );
      const natW = Array.from({ length: cols }, (_, i) =>
        Math.min(width * 0.45, Math.max(...all.map((r) => pdf.widthOfString(r[i] ?? ''))) + 8),
      );
      const natSum = natW.reduce((a, b) => a + b, 0);
      let colW = natW.map((w) => Math.max(w, 1));
      if (natSum > width) {
        const minSum = minW.reduce((a, b) => a + b, 0);
        const spare = Math.max(0, width - minSum);
        const extra = natW.map((w, i) => Math.max(0, w - minW[i]!));
        const extraSum = extra.reduce((a, b) => a + b, 0) || 1;
        colW = minW.map((m, i) => m + (spare * extra[i]!) / extraSum);
      } else colW = natW.map((w) => (w * width) / natSum);
      const xs = colW.map((_, i) => 48 + colW.slice(0, i).reduce((a, b) => a + b, 0));
      const row = (cells: string[], bold: boolean) => {
        if (pdf.y > pdf.page.height - 96) pdf.addPage();
        const top = pdf.y;
        let maxH = 0;
        cells.forEach((cell, i) => {
          const h = pdf.heightOfString(cell || ' ', { width: colW[i]! - 6 });
          maxH = Math.max(maxH, h);
          pdf
            .fillColor(bold ? '#000' : '#111')
            .text(cell || ' ', xs[i]! + 3, top + 2, { width: colW[i]! - 6 });
        });
        pdf
          .moveTo(48, top + maxH + 4)
          .lineTo(48 + width, top + maxH + 4)
          .strokeColor('#bbb')
          .stroke();
        pdf.x = 48;
        pdf.y = top + maxH + 6;
      };
      row(table.columns, true);
      for (const r of table.rows) row(r, false);
    }
    for (const p of s.paragraphs ?? []) pdf.moveDown(0.3).text(p, 48, pdf.y, { width });
    if (s.pre) pdf.fontSize(7.5).text(s.pre, 48, pdf.y, { width, lineBreak: true }).fontSize(9.5);
  }
  pdf.end();
  return done;
}
