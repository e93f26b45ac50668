import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeImageReader } from '#adapters/image/reader.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage, orderHistoryFrom } from '#core/check/index.ts';
import { repoRoot } from '../helpers/cli.ts';

const knowledge = loadKnowledge();
const dir = (d: string) => join(repoRoot, 'test/fixtures/mail', d);

describe('the project fixtures', () => {
  const phish = readdirSync(dir('phish'));
  const genuine = readdirSync(dir('genuine'));
  it('has at least 25 phishing and 20 genuine-shaped mails', () => {
    expect(phish.length).toBeGreaterThanOrEqual(25);
    expect(genuine.length).toBeGreaterThanOrEqual(20);
  });
  for (const f of genuine) {
    it(`genuine ${f} is legitimate`, async () => {
      const out = await checkMessage(readFileSync(join(dir('genuine'), f)), knowledge);
      expect(out.ok && out.result.verdict, JSON.stringify(out.ok && out.result.findings)).toBe('legitimate');
    });
  }
  for (const f of phish) {
    it(`phishing ${f} is phishing, brand Amazon`, async () => {
      const out = await checkMessage(readFileSync(join(dir('phish'), f)), knowledge);
      expect(out.ok && out.result.verdict).toBe('phishing');
      expect(out.ok && out.result.brand).toMatch(/^amazon-/);
    });
  }
  it('every rule that marks a risk is hit by some phishing fixture', async () => {
    const hit = new Set<string>();
    for (const f of phish) {
      const out = await checkMessage(readFileSync(join(dir('phish'), f)), knowledge, {
        orders: orderHistoryFrom(['249-1234567-7654321']),
      });
      if (out.ok) out.result.findings.forEach((x) => hit.add(x.id));
    }
    // The picture rules: the phishing mails carrying pictures (test/fixtures/pictures), their QR codes decoded.
    const readImage = nodeImageReader(knowledge.scoring.limits.image);
    const pictures = join(repoRoot, 'test/fixtures/pictures');
    for (const f of readdirSync(pictures).filter((n) => /^mail-(qr-lookalike|image-only)\.eml$/.test(n))) {
      const out = await checkMessage(readFileSync(join(pictures, f)), knowledge, {
        readImage: (b, w) => readImage(b, { ...w, ocr: false }),
      });
      if (out.ok) out.result.findings.forEach((x) => hit.add(x.id));
    }
    await readImage.close();
    const risky = knowledge.rules.filter((r) => r.weight > 0 && r.severity !== 'info').map((r) => r.id);
    expect(risky.filter((id) => !hit.has(id))).toEqual([]);
  });
});
