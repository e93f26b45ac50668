import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { builtParts } from '#core/knowledge/compile.ts';
import {
  toBuilt,
  validateKnowledge,
  type KnowledgeSpec,
  type RawFile,
  type RawKnowledge,
} from '#core/knowledge/validate.ts';
import { ruleProblems } from '#core/check/rule-validation.ts';
import { riskRuleProblems } from '#core/reconcile/risk-params.ts';
import { compileBuilt } from '#core/knowledge/compile.ts';
import { buildNoticeFile } from './notices.ts';
import { packageRoot } from './load.ts';

/**
 * The knowledge as written: the YAML files in data/, validated with zod. Used by `npm run build` (which writes
 * the built parts the programs load) and by the tests that run the rules' cases. The programs never load this.
 */

function readYaml(root: string, path: string): RawFile {
  const text = readFileSync(path, 'utf8');
  return { file: relative(root, path), data: parseYaml(text, { uniqueKeys: true }) };
}

function readDir(root: string, sub: string): RawFile[] {
  const dir = join(root, sub);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readYaml(root, join(dir, f)));
}

export function readRawKnowledge(root = join(packageRoot(), 'data')): RawKnowledge {
  return {
    merchants: readDir(root, 'merchants'),
    lists: readDir(root, 'lists'),
    phrases: readDir(root, 'phrases'),
    rules: readDir(root, 'rules'),
    messages: readDir(root, 'messages'),
    scoring: readYaml(root, join(root, 'scoring.yaml')),
    statements: readDir(root, 'statements'),
    risk: readDir(root, 'risk'),
    reconcile: readYaml(root, join(root, 'reconcile.yaml')),
    playbooks: readDir(root, 'playbooks'),
  };
}

let cachedSpec: KnowledgeSpec | null = null;

/** data/ validated, with every rule's cases. */
export function loadKnowledgeSpec(): KnowledgeSpec {
  cachedSpec ??= validateKnowledge(readRawKnowledge());
  return cachedSpec;
}

/**
 * Validates data/ (schemas, then each rule's parameters against its detector) and writes the built parts to
 * `outDir` as `<part>.json`; each file is written whole or not at all. Throws with every problem found.
 */
export function buildKnowledgeFiles(outDir = join(packageRoot(), 'dist', 'knowledge')): string[] {
  const spec = validateKnowledge(readRawKnowledge());
  const built = toBuilt(spec);
  const compiled = compileBuilt(built);
  const problems = [...ruleProblems(compiled), ...riskRuleProblems(compiled)];
  if (problems.length) throw new Error(`the rules in data/ are invalid:\n  ${problems.join('\n  ')}`);
  mkdirSync(outDir, { recursive: true });
  const written = builtParts.map((part) => {
    const file = join(outDir, `${part}.json`);
    writeFileSync(file + '.tmp', JSON.stringify(built[part]));
    renameSync(file + '.tmp', file);
    return file;
  });
  // The watcher's card-notice templates (data/notices), checked against the merchant profiles they name.
  return [...written, buildNoticeFile(outDir, new Set(spec.merchants.map((m) => m.id)))];
}
