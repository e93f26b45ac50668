import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  noticeFileSchema,
  testChargeFileSchema,
  type NoticeFile,
  type TestChargeFile,
} from '#core/notices/schema.ts';
import type { NoticeKnowledge } from '#core/notices/types.ts';
import { packageRoot } from './load.ts';

/** Not a template: the thresholds of a thief's test charge. */
const TEST_CHARGES = 'test-charges.yaml';

/** data/notices/test-charges.yaml validated (with its cases). */
export function readTestChargeFile(root = join(packageRoot(), 'data')): TestChargeFile {
  const file = join(root, 'notices', TEST_CHARGES);
  const r = testChargeFileSchema.safeParse(parseYaml(readFileSync(file, 'utf8'), { uniqueKeys: true }));
  if (!r.success)
    throw new Error(
      `notices/${TEST_CHARGES} is invalid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

/** data/notices/*.yaml validated (with their cases), for the build and the tests. */
export function readNoticeFiles(root = join(packageRoot(), 'data')): NoticeFile[] {
  const dir = join(root, 'notices');
  if (!existsSync(dir)) return [];
  const problems: string[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== TEST_CHARGES)
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

export function toNoticeKnowledge(files: readonly NoticeFile[], tests: TestChargeFile): NoticeKnowledge {
  return {
    testCharges: { windowDays: tests.windowDays, limits: tests.limits },
    templates: files.map((f) => ({
      id: f.id,
      issuer: f.issuer,
      currency: f.currency,
      status: f.status,
      senders: f.senders.map((s) => s.toLowerCase()),
      subjects: f.subjects,
      ignore: f.ignore,
      noMerchant: f.noMerchant,
      layouts: f.layouts.map((l) => ({
        id: l.id,
        status: l.status,
        pattern: l.pattern,
        cancellation: l.cancellation,
        dateOrder: l.dateOrder,
        withSubject: l.withSubject,
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
  writeFileSync(file + '.tmp', JSON.stringify(toNoticeKnowledge(files, readTestChargeFile())));
  renameSync(file + '.tmp', file);
  return file;
}
