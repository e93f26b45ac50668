import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  compileKnowledge,
  type Knowledge,
  type RawFile,
  type RawKnowledge,
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

export function dataDir(): string {
  return process.env.MAMORI_DATA_DIR ?? join(packageRoot(), 'data');
}

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

export function readRawKnowledge(root = dataDir()): RawKnowledge {
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

let cached: Knowledge | null = null;

/** Loads and validates everything in data/ once per process. */
export function loadKnowledge(): Knowledge {
  cached ??= compileKnowledge(readRawKnowledge());
  return cached;
}
