import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  builtParts,
  compileBuilt,
  type BuiltKnowledge,
  type BuiltPart,
  type Knowledge,
} from '#core/knowledge/compile.ts';

/** The package root: the nearest folder above this module (source or bundle) that holds data/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'data', 'scoring.yaml')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('mamori: cannot find its data/ folder next to the program; reinstall the package');
}

export class KnowledgeMissingError extends Error {
  constructor(readonly dir: string) {
    super(
      `mamori: the built knowledge is missing in ${dir}. Run \`npm run build\` (or \`npm ci\`) in the mamori folder.\n` +
        `mamori: ${dir} に知識データがありません。mamori のフォルダで \`npm run build\`（または \`npm ci\`）を実行してください。`,
    );
    this.name = 'KnowledgeMissingError';
  }
}

export function knowledgeDir(): string {
  return join(packageRoot(), 'dist', 'knowledge');
}

function readPart<P extends BuiltPart>(dir: string, part: P): BuiltKnowledge[P] {
  const file = join(dir, `${part}.json`);
  if (!existsSync(file)) throw new KnowledgeMissingError(dir);
  return JSON.parse(readFileSync(file, 'utf8')) as BuiltKnowledge[P];
}

let cached: Knowledge | null = null;

/**
 * The knowledge the programs run on: the parts `npm run build` validated and wrote to dist/knowledge, compiled
 * once per process. No YAML is read and no schema is run at start-up.
 */
export function loadKnowledge(): Knowledge {
  if (cached) return cached;
  const dir = knowledgeDir();
  const parts = Object.fromEntries(builtParts.map((p) => [p, readPart(dir, p)])) as unknown as BuiltKnowledge;
  cached = compileBuilt(parts);
  return cached;
}
