import { validateRuleParams } from '#core/check/rule-validation.ts';
import type { CheckRule } from '#core/check/detectors/types.ts';
import {
  confusablesSchema,
  listSpecSchema,
  lookalikeSchema,
  merchantSchema,
  messagesSchema,
  phraseListSchema,
  playbookSchema,
  reconcileSettingsSchema,
  riskRuleSchema,
  ruleSchema,
  scoringSchema,
  statementLayoutSchema,
  type ListSpec,
  type Lookalike,
  type Merchant,
  type Messages,
  type PhraseList,
  type Playbook,
  type ReconcileSettings,
  type RiskRuleSpec,
  type RuleSpec,
  type Scoring,
  type StatementLayoutSpec,
} from './schema.ts';
import { brandNamesIn } from './brand-names.ts';
import { compileBuilt, type BuiltKnowledge, type Knowledge } from './compile.ts';

/**
 * Build-time validation of data/: every file against its zod schema, all problems collected before failing.
 * Only `npm run build` (and the tests that read the rules' cases) run this; the programs load the built JSON.
 */

/** Data files as read from disk: the file name (for messages) and the parsed YAML. */
export interface RawFile {
  file: string;
  data: unknown;
}

export interface RawKnowledge {
  merchants: RawFile[];
  lists: RawFile[];
  phrases: RawFile[];
  rules: RawFile[];
  messages: RawFile[];
  scoring: RawFile;
  statements: RawFile[];
  risk: RawFile[];
  reconcile: RawFile;
  playbooks: RawFile[];
}

/** The knowledge as written, validated, with the rules' cases. */
export interface KnowledgeSpec {
  merchants: Merchant[];
  confusables: Record<string, string>;
  lists: ListSpec[];
  phrases: PhraseList[];
  lookalike: Lookalike;
  /** Parameters validated against each rule's detector, defaults applied. */
  rules: (CheckRule & Pick<RuleSpec, 'cases'>)[];
  scoring: Scoring;
  messages: { ja: Messages; en: Messages };
  statements: StatementLayoutSpec[];
  riskRules: RiskRuleSpec[];
  reconcile: ReconcileSettings;
  playbooks: Playbook[];
}

export class KnowledgeError extends Error {
  constructor(readonly problems: string[]) {
    super(`the knowledge in data/ is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'KnowledgeError';
  }
}

/** Characters that must never hide in a data file: they would make a phrase silently fail to match. */
const INVISIBLE_IN_DATA = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/u;

type Schema<T> = {
  safeParse(
    d: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
};

function validate<T>(schema: Schema<T>, f: RawFile, problems: string[]): T | null {
  const r = schema.safeParse(f.data);
  if (r.success) return r.data;
  for (const issue of r.error.issues)
    problems.push(`${f.file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  return null;
}

function all<T>(schema: Schema<T>, files: RawFile[], problems: string[]): T[] {
  return files.map((f) => validate(schema, f, problems)).filter((x): x is T => x !== null);
}

/** Each item must live in the file named after its id (`<id>.yaml`). */
function idFileProblems(files: RawFile[], what: string): string[] {
  return files.flatMap((f) => {
    const id = (f.data as { id?: unknown })?.id;
    return typeof id === 'string' && !f.file.endsWith(`${id}.yaml`)
      ? [`${f.file}: ${what} ${id} must live in ${id}.yaml`]
      : [];
  });
}

function duplicateIds(items: { id: string }[], what: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { id } of items) {
    if (seen.has(id)) out.push(`duplicate ${what} id ${id}`);
    seen.add(id);
  }
  return out;
}

/**
 * A brand's name (and its English name) belongs to one profile: the findings, the plan and the report name the brand
 * by it, so two profiles of one name could not be told apart by the person reading them.
 */
function duplicateNames(
  merchants: readonly { id: string; name: string; nameEn?: string | undefined }[],
): string[] {
  const owner = new Map<string, string>();
  const out: string[] = [];
  for (const m of merchants)
    for (const name of new Set([m.name, m.nameEn ?? m.name])) {
      const key = name.normalize('NFKC').toLowerCase();
      const first = owner.get(key);
      if (first !== undefined && first !== m.id)
        out.push(`merchant ${m.id}: name ${name} is already the name of ${first}`);
      else owner.set(key, m.id);
    }
  return out;
}

/** Validates every data file; collects all problems before failing. */
export function validateKnowledge(raw: RawKnowledge): KnowledgeSpec {
  const problems: string[] = [];
  for (const f of [
    ...raw.merchants,
    ...raw.lists,
    ...raw.phrases,
    ...raw.rules,
    ...raw.messages,
    raw.scoring,
    ...raw.statements,
    ...raw.risk,
    raw.reconcile,
    ...raw.playbooks,
  ]) {
    // Rule cases may hold invisible characters on purpose (they are what the rule detects); nothing else may.
    const checked =
      f.data && typeof f.data === 'object' ? { ...(f.data as object), cases: undefined } : f.data;
    if (INVISIBLE_IN_DATA.test(JSON.stringify(checked)))
      problems.push(`${f.file}: contains an invisible character`);
  }

  let confusables: Record<string, string> = {};
  let lookalike: Lookalike | null = null;
  const listFiles: RawFile[] = [];
  for (const f of raw.lists) {
    if ((f.data as { id?: unknown })?.id === 'confusables') {
      const c = validate(confusablesSchema, f, problems);
      if (c) confusables = c.map;
    } else if ((f.data as { id?: unknown })?.id === 'lookalike') {
      lookalike = validate(lookalikeSchema, f, problems);
    } else listFiles.push(f);
  }
  if (!lookalike) problems.push('data/lists/lookalike.yaml is missing or invalid');
  const lists = all(listSpecSchema, listFiles, problems);
  const phrases = all(phraseListSchema, raw.phrases, problems);
  for (const p of phrases)
    for (const src of p.patterns ?? []) {
      try {
        new RegExp(src, 'giu');
      } catch (e) {
        problems.push(`phrase list ${p.id}: bad pattern ${src}: ${(e as Error).message}`);
      }
    }
  const checkedRules = validateRuleParams(all(ruleSchema, raw.rules, problems));
  problems.push(...checkedRules.problems);
  const rules = checkedRules.rules;
  const riskRules = all(riskRuleSchema, raw.risk, problems);
  const merchants = all(merchantSchema, raw.merchants, problems);
  const statements = all(statementLayoutSchema, raw.statements, problems);
  const playbooks = all(playbookSchema, raw.playbooks, problems);
  problems.push(
    ...duplicateIds(merchants, 'merchant'),
    ...duplicateNames(merchants),
    ...duplicateIds(statements, 'statement layout'),
    ...duplicateIds(lists, 'list'),
    ...duplicateIds(phrases, 'phrase list'),
    ...duplicateIds(rules, 'rule'),
    ...duplicateIds(riskRules, 'risk rule'),
    ...idFileProblems(raw.rules, 'rule'),
    ...idFileProblems(raw.risk, 'rule'),
  );

  // Messages may be split over several files per language (`ja.yaml`, `ja-web.yaml`, …): merged, and a key
  // defined twice is a problem.
  const messages: Partial<Record<'ja' | 'en', Messages>> = {};
  for (const m of all(messagesSchema, raw.messages, problems)) {
    const into = (messages[m.lang] ??= { lang: m.lang, findings: {}, text: {} });
    for (const [k, v] of Object.entries(m.findings)) {
      if (k in into.findings) problems.push(`messages (${m.lang}): finding ${k} is defined twice`);
      into.findings[k] = v;
    }
    for (const [k, v] of Object.entries(m.text)) {
      if (k in into.text) problems.push(`messages (${m.lang}): text ${k} is defined twice`);
      into.text[k] = v;
    }
  }
  const reconcile = validate(reconcileSettingsSchema, raw.reconcile, problems);
  const scoring = validate(scoringSchema, raw.scoring, problems);
  if (!messages.ja || !messages.en) problems.push('data/messages needs ja.yaml and en.yaml');
  if (problems.length || !scoring || !reconcile || !messages.ja || !messages.en || !lookalike)
    throw new KnowledgeError(problems.length ? problems : ['scoring.yaml or reconcile.yaml is invalid']);
  return {
    merchants,
    confusables,
    lists,
    phrases,
    lookalike,
    rules,
    scoring,
    messages: { ja: messages.ja, en: messages.en },
    statements,
    riskRules,
    reconcile,
    playbooks,
  };
}

/** The per-feature parts the programs load: the validated knowledge without the rules' test cases. */
export function toBuilt(spec: KnowledgeSpec): BuiltKnowledge {
  const { merchants, confusables } = spec;
  return {
    check: {
      merchants,
      confusables,
      lists: spec.lists.map(({ id, items }) => ({ id, items })),
      phrases: spec.phrases,
      lookalike: { skeleton: spec.lookalike.skeleton, suffixes: spec.lookalike.suffixes },
      rules: spec.rules.map(({ cases: _cases, ...rule }) => rule),
      scoring: spec.scoring,
    },
    ledger: {
      merchants,
      confusables,
      lists: spec.lists.map(({ id, items }) => ({ id, items })),
      statements: spec.statements.map(({ cases: _cases, ...layout }) => layout),
      riskRules: spec.riskRules.map(({ cases: _cases, ...rule }) => rule),
      reconcile: spec.reconcile,
    },
    plan: { merchants, playbooks: spec.playbooks },
    'messages.ja': { ...spec.messages.ja, brands: brandNamesIn(merchants, 'ja') },
    'messages.en': { ...spec.messages.en, brands: brandNamesIn(merchants, 'en') },
  };
}

/** Validates and compiles in one step (tests and tools that start from data/ itself). */
export function compileKnowledge(raw: RawKnowledge): Knowledge {
  return compileBuilt(toBuilt(validateKnowledge(raw)));
}
