import { describe, expect, it } from 'vitest';
import { nodeImageReader } from '#adapters/image/reader.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadKnowledgeSpec } from '#adapters/knowledge/source.ts';
import { checkMessage, orderHistoryFrom } from '#core/check/index.ts';
import { caseBytes } from '../helpers/rule-cases.ts';

const knowledge = loadKnowledge();
// Pictures in the cases are decoded for QR codes (pure JavaScript); OCR is tested with its worker in test/pictures.
const pictures = nodeImageReader(knowledge.scoring.limits.image);
const readImage: typeof pictures = Object.assign(
  (b: Uint8Array, want: Parameters<typeof pictures>[1]) => pictures(b, { ...want, ocr: false }),
  { close: pictures.close },
);

describe('every rule has cases that must hit and cases that must not', () => {
  // The cases live in data/ (the built knowledge the programs load has none); the check runs on the built one.
  for (const rule of loadKnowledgeSpec().rules) {
    it(`${rule.id} has both kinds of case`, () => {
      expect(
        rule.cases.some((c) => c.expect === 'hit'),
        `${rule.id} needs a case that must hit`,
      ).toBe(true);
      expect(
        rule.cases.some((c) => c.expect === 'miss'),
        `${rule.id} needs a case that must not hit`,
      ).toBe(true);
    });
    rule.cases.forEach((c, i) => {
      it(`${rule.id} case ${i + 1} (${c.expect}${c.note ? ': ' + c.note : ''})`, async () => {
        const outcome = await checkMessage(caseBytes(c), knowledge, {
          orders: c.orders ? orderHistoryFrom(c.orders) : null,
          readImage,
        });
        if (!outcome.ok) throw new Error(`case is not a mail: ${outcome.problem.code}`);
        const ids = outcome.result.findings.map((f) => f.id);
        if (c.expect === 'hit')
          expect(ids, JSON.stringify(outcome.result.findings, null, 1)).toContain(rule.id);
        else
          expect(
            ids,
            JSON.stringify(
              outcome.result.findings.find((f) => f.id === rule.id),
              null,
              1,
            ),
          ).not.toContain(rule.id);
      });
    });
  }
});
