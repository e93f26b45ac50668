import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { tesseractFiles, workerEntry } from '#adapters/image/ocr.ts';

const tripwire = fileURLToPath(new URL('../setup/deny-network.js', import.meta.url));
const probe = fileURLToPath(new URL('./probe-worker.cjs', import.meta.url));
const probeFetch = fileURLToPath(new URL('./probe-fetch.cjs', import.meta.url));

describe('OCR is offline', () => {
  it('uses the installed models, worker and core (local files, never a URL)', () => {
    const f = tesseractFiles();
    for (const file of [f.models.jpn, f.models.eng, f.workerPath]) {
      expect(file).toMatch(/node_modules/);
      expect(existsSync(file), file).toBe(true);
    }
    expect(f.models.jpn).toMatch(/@tesseract\.js-data\/jpn\/4\.0\.0_best_int\/jpn\.traineddata\.gz$/);
    // The sizes the README states (best_int models, gzip): Japanese ≈2.0 MB, English ≈2.9 MB.
    expect(statSync(f.models.jpn).size).toBeLessThan(2.5e6);
    expect(statSync(f.models.eng).size).toBeLessThan(3.5e6);
    expect(existsSync(f.corePath)).toBe(true);
  });

  it('the worker entry takes fetch away; with the tripwire loaded first, sockets are refused too', async () => {
    const worker = new Worker(workerEntry(probe, tripwire));
    const out = await new Promise<Record<string, string>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(out.fetch).toMatch(/never fetches/);
    expect(out.socket).toMatch(/network tripwire/);
  });

  it('without the tripwire, fetch is still gone in the worker (production)', async () => {
    const worker = new Worker(workerEntry(probeFetch));
    const out = await new Promise<Record<string, string>>((resolve) => worker.once('message', resolve));
    await worker.terminate();
    expect(out.fetch).toMatch(/never fetches/);
  });
});
// The OCR of the screenshots in check.test.ts runs in this same entry with the tripwire preloaded: it succeeds
// with every socket and DNS look-up refused, so tesseract.js reads its files locally.
