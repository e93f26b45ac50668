import { buildKnowledgeFiles } from '#adapters/knowledge/source.ts';

// Tests run on the built knowledge, as the programs do: build it from data/ once before any test file runs, so
// an edit in data/ is always what the tests see (and a data file that fails validation fails the run).
export function setup(): void {
  buildKnowledgeFiles();
}
