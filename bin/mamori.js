#!/usr/bin/env node
// The installed command. The program itself is bundled into dist/ by `npm run build` (run by `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/mamori.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  console.error(
    'mamori: the program is not built yet. Run `npm ci` (or `npm run build`) in the mamori folder.',
  );
  console.error(
    'mamori: プログラムがまだビルドされていません。mamori のフォルダで `npm ci`（または `npm run build`）を実行してください。',
  );
  process.exit(2);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
