/**
 * The browser bundles' size: the check worker and the reconcile worker, minified and gzipped, with what they must
 * not hold (zod, zxcvbn's dictionaries, Node modules).
 */
import { gzipSync } from 'node:zlib';
// @ts-expect-error: a plain .mjs build script, without types
import { bundleWorker } from '#scripts/browser-bundles.mjs';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function benchBundles(): Promise<void> {
  console.log('\n## browser bundles (esbuild, platform=browser, minified)');
  console.log('| worker | minified | gzipped | zod | zxcvbn | node: modules |');
  console.log('|---|---|---|---|---|---|');
  for (const name of ['check', 'reconcile']) {
    const { code, inputs } = (await bundleWorker(name)) as { code: string; inputs: string[] };
    const bytes = new TextEncoder().encode(code);
    const has = (re: RegExp) => (inputs.some((i) => re.test(i)) ? 'yes' : 'no');
    console.log(
      `| ${name} | ${kb(bytes.length)} | ${kb(gzipSync(bytes, { level: 9 }).length)} | ${has(/node_modules\/zod\//)} | ${has(/node_modules\/@zxcvbn-ts\//)} | ${has(/^node:/)} |`,
    );
  }
}
