import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { noticeFileSchema, type NoticeFile } from '#core/notices/schema.ts';
import type { NoticeKnowledge } from '#core/notices/types.ts';
import { packageRoot } from './load.ts';

/** data/notices/*.yaml validated (with their cases), for the build and the tests. */
export function readNoticeFiles(root = join(packageRoot(), 'data')): NoticeFile[] {
  const dir = join(root, 'notices');
  if (!existsSync(dir)) return [];
  const problems: string[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => {
      const r = noticeFileSchema.safeParse(
        parseYaml(readFileSync(join(dir, f), 'utf8'), { uniqueKeys: true }),
      );
      if (!r.success) {
        problems.push(
          `notices/${f}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
        return [];
      }
      if (`${r.data.id}.yaml` !== f)
        problems.push(`notices/${f}: id ${r.data.id} differs from the file name`);
      return [r.data];
    });
  if (problems.length)
    throw new Error(`the notice templates in data/ are invalid:\n  ${problems.join('\n  ')}`);
  return files;
}

export function toNoticeKnowledge(files: readonly NoticeFile[]): NoticeKnowledge {
  return {
    templates: files.map((f) => ({
      id: f.id,
      issuer: f.issuer,
      currency: f.currency,
      status: f.status,
      senders: f.senders.map((s) => s.toLowerCase()),
      subjects: f.subjects,
      ignore: f.ignore,
      layouts: f.layouts.map((l) => ({
        id: l.id,
        status: l.status,
        pattern: l.pattern,
        cancellation: l.cancellation,
      })),
    })),
  };
}

/** Writes dist/knowledge/notices.json (whole or not at all). */
export function buildNoticeFile(outDir: string, merchantIds: ReadonlySet<string>): string {
  const files = readNoticeFiles();
  const unknown = files.filter((f) => !merchantIds.has(f.issuer)).map((f) => `${f.id}: issuer ${f.issuer}`);
  if (unknown.length)
    throw new Error(`notice templates name unknown merchant profiles: ${unknown.join(', ')}`);
  const file = join(outDir, 'notices.json');
  writeFileSync(file + '.tmp', JSON.stringify(toNoticeKnowledge(files)));
  renameSync(file + '.tmp', file);
  return file;
}
