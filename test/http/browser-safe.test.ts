import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('createHttpStore is browser-safe', () => {
  it('bundles for the browser with no Node built-in, no Buffer and no process', async () => {
    const r = await build({
      entryPoints: ['src/adapters/http-store/http-store.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:') || /node_modules/.test(i))).toEqual([]);
    const code = r.outputFiles[0]!.text;
    expect(code).not.toMatch(/\b(?:Buffer|process|require)\b/);
  });
});
