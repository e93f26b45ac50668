// Validates data/ and writes the built knowledge (dist/knowledge/<part>.json). Run by scripts/build.mjs.
import { buildKnowledgeFiles } from '#adapters/knowledge/source.ts';

export function run(): string[] {
  return buildKnowledgeFiles();
}
