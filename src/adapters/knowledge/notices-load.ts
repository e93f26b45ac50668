import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NoticeKnowledge } from '#core/notices/types.ts';
import { knowledgeDir, KnowledgeMissingError } from './load.ts';

/** The card-notice templates `npm run build` wrote (no YAML, no zod at run time). */
let cached: NoticeKnowledge | null = null;

export function loadNotices(): NoticeKnowledge {
  if (cached) return cached;
  const file = join(knowledgeDir(), 'notices.json');
  if (!existsSync(file)) throw new KnowledgeMissingError(knowledgeDir());
  cached = JSON.parse(readFileSync(file, 'utf8')) as NoticeKnowledge;
  return cached;
}
