/**
 * npm run eval -- [CORPUS_DIR]
 * Per folder: how many mails got each verdict, and the ones missed. Targets (issue #2): amazon-phish ≥98% flagged
 * phishing or suspicious and ≥90% phishing; other-phish brand not Amazon ≥95%; the project's genuine fixtures
 * 100% legitimate. The shared corpus is optional: without it, only the project's fixtures are evaluated.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadKnowledge, packageRoot } from '#adapters/knowledge/load.ts';
import { readInputs } from '#adapters/input/mail-input.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';

interface FolderStats {
  total: number;
  verdicts: Record<string, number>;
  amazonBrand: number;
  missed: string[];
  unreadable: string[];
}

type Expectation = 'amazon-phish' | 'other-phish' | 'genuine' | 'headers-only';

function expectationOf(folder: string): Expectation | null {
  if (/amazon-phish|fixtures\/mail\/phish/.test(folder)) return 'amazon-phish';
  if (/other-phish/.test(folder)) return 'other-phish';
  if (/fixtures\/mail\/genuine/.test(folder)) return 'genuine';
  if (/genuine-headers/.test(folder)) return 'headers-only';
  return null;
}

function isMiss(exp: Expectation, r: CheckResult): boolean {
  if (exp === 'amazon-phish') return r.verdict !== 'phishing';
  if (exp === 'other-phish') return r.brand !== null && r.brand.startsWith('amazon');
  if (exp === 'genuine') return r.verdict !== 'legitimate';
  return false;
}

async function evalFolder(folder: string): Promise<FolderStats> {
  const knowledge = loadKnowledge();
  const exp = expectationOf(folder)!;
  const stats: FolderStats = { total: 0, verdicts: {}, amazonBrand: 0, missed: [], unreadable: [] };
  for await (const item of readInputs([folder], knowledge.scoring.limits)) {
    if ('skipped' in item) continue;
    if ('error' in item) {
      stats.unreadable.push(`${item.source} (${item.error})`);
      continue;
    }
    const out = await checkMessage(item.bytes, knowledge);
    if (!out.ok) {
      stats.unreadable.push(`${item.source} (${out.problem.code})`);
      continue;
    }
    const r = out.result;
    stats.total++;
    stats.verdicts[r.verdict] = (stats.verdicts[r.verdict] ?? 0) + 1;
    if (r.brand?.startsWith('amazon')) stats.amazonBrand++;
    if (isMiss(exp, r))
      stats.missed.push(
        `${item.source.replace(folder + '/', '')}  ${r.verdict} ${r.brand ?? '-'} ${r.score}  [${r.findings.map((f) => f.id).join(' ')}]  ${r.subject.slice(0, 60)}`,
      );
  }
  return stats;
}

const pct = (n: number, d: number) => (d ? ((100 * n) / d).toFixed(1) + '%' : '-');

async function main() {
  const folders: string[] = [];
  const root = packageRoot();
  for (const sub of ['phish', 'genuine']) folders.push(join(root, 'test/fixtures/mail', sub));
  const corpus = process.argv[2] ? resolve(process.argv[2]) : null;
  if (corpus) {
    if (!existsSync(corpus)) {
      console.log(`eval: ${corpus} does not exist; evaluating the project's own fixtures only.`);
    } else {
      for (const name of readdirSync(corpus).sort()) {
        const full = join(corpus, name);
        if (statSync(full).isDirectory() && expectationOf(full)) folders.push(full);
      }
    }
  } else {
    console.log(
      "eval: no corpus folder given (npm run eval -- ../shared/corpus); evaluating the project's own fixtures only.",
    );
  }
  let failed = false;
  for (const folder of folders) {
    if (!existsSync(folder)) continue;
    const exp = expectationOf(folder)!;
    const s = await evalFolder(folder);
    const v = s.verdicts;
    const flagged = (v.phishing ?? 0) + (v.suspicious ?? 0);
    console.log(`\n${folder}  (${exp}, ${s.total} mails)`);
    console.log(
      `  verdicts: ${Object.entries(v)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    if (exp === 'amazon-phish') {
      const ok = flagged / s.total >= 0.98 && (v.phishing ?? 0) / s.total >= 0.9;
      failed ||= !ok;
      console.log(
        `  flagged ${pct(flagged, s.total)} (target ≥98%), phishing ${pct(v.phishing ?? 0, s.total)} (target ≥90%), brand amazon ${pct(s.amazonBrand, s.total)} ${ok ? 'OK' : 'BELOW TARGET'}`,
      );
    } else if (exp === 'other-phish') {
      const ok = (s.total - s.amazonBrand) / s.total >= 0.95;
      failed ||= !ok;
      console.log(
        `  brand not Amazon ${pct(s.total - s.amazonBrand, s.total)} (target ≥95%), flagged ${pct(flagged, s.total)} ${ok ? 'OK' : 'BELOW TARGET'}`,
      );
    } else if (exp === 'genuine') {
      const ok = (v.legitimate ?? 0) === s.total;
      failed ||= !ok;
      console.log(
        `  legitimate ${pct(v.legitimate ?? 0, s.total)} (target 100%) ${ok ? 'OK' : 'BELOW TARGET'}`,
      );
    }
    if (s.missed.length) console.log(`  missed (${s.missed.length}):\n    ${s.missed.join('\n    ')}`);
    if (s.unreadable.length) console.log(`  unreadable: ${s.unreadable.join(', ')}`);
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
