import { validateRuleParams } from '#core/check/rule-validation.ts';
import type { CheckRule } from '#core/check/detectors/types.ts';
import { foldText, type Folding } from '#core/text/normalize.ts';
import {
  confusablesSchema,
  listSchema,
  lookalikeSchema,
  merchantSchema,
  messagesSchema,
  phraseListSchema,
  ruleSchema,
  scoringSchema,
  type Lookalike,
  type Merchant,
  type Messages,
  type PhraseList,
  type Rule,
  type Scoring,
  playbookSchema,
  reconcileSettingsSchema,
  riskRuleSchema,
  statementLayoutSchema,
  type Playbook,
  type ReconcileSettings,
  type RiskRule,
  type StatementLayout,
} from './schema.ts';

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

export interface CompiledPhraseList {
  id: string;
  lang: PhraseList['lang'];
  /** Folded phrases; Japanese ones without spaces (matched against the compact view). */
  phrases: { text: string; compact: boolean }[];
  patterns: RegExp[];
}

export interface CompiledLookalike {
  /** Sequences folded before a word is compared with a brand word (rn → m, 0 → o). */
  skeleton: Folding;
  suffixes: ReadonlySet<string>;
  cases: Lookalike['cases'];
}

export interface Knowledge {
  merchants: Merchant[];
  lists: Map<string, Set<string>>;
  folding: Folding;
  phrases: Map<string, CompiledPhraseList>;
  lookalike: CompiledLookalike;
  /** Parameters validated against each rule's detector, defaults applied. */
  rules: CheckRule[];
  scoring: Scoring;
  messages: Map<'ja' | 'en', Messages>;
  statements: StatementLayout[];
  riskRules: RiskRule[];
  reconcile: ReconcileSettings;
  playbooks: Playbook[];
}

export class KnowledgeError extends Error {
  constructor(readonly problems: string[]) {
    super(`the knowledge in data/ is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'KnowledgeError';
  }
}

const HAS_JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
/** Characters that must never hide in a data file: they would make a phrase silently fail to match. */
const INVISIBLE_IN_DATA = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/u;

function validate<T>(
  schema: {
    safeParse(
      d: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
  },
  f: RawFile,
  problems: string[],
): T | null {
  const r = schema.safeParse(f.data);
  if (r.success) return r.data;
  for (const issue of r.error.issues)
    problems.push(`${f.file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  return null;
}

/** Validates every data file and compiles phrase lists; collects all problems before failing. */
export function compileKnowledge(raw: RawKnowledge): Knowledge {
  const problems: string[] = [];
  const all = [
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
  ];
  for (const f of all) {
    // Rule cases may hold invisible characters on purpose (they are what the rule detects); nothing else may.
    const checked =
      f.data && typeof f.data === 'object' ? { ...(f.data as object), cases: undefined } : f.data;
    if (INVISIBLE_IN_DATA.test(JSON.stringify(checked)))
      problems.push(`${f.file}: contains an invisible character`);
  }

  const merchants = raw.merchants
    .map((f) => validate(merchantSchema, f, problems))
    .filter((m): m is Merchant => m !== null);
  let folding: Folding = new Map();
  let lookalike: CompiledLookalike | null = null;
  const lists = new Map<string, Set<string>>();
  for (const f of raw.lists) {
    if ((f.data as { id?: unknown })?.id === 'confusables') {
      const c = validate(confusablesSchema, f, problems);
      if (c) folding = new Map(Object.entries(c.map));
      continue;
    }
    if ((f.data as { id?: unknown })?.id === 'lookalike') {
      const c = validate(lookalikeSchema, f, problems);
      if (c)
        lookalike = {
          skeleton: new Map(Object.entries(c.skeleton)),
          suffixes: new Set(c.suffixes),
          cases: c.cases,
        };
      continue;
    }
    const l = validate(listSchema, f, problems);
    if (!l) continue;
    if (lists.has(l.id)) problems.push(`${f.file}: duplicate list id ${l.id}`);
    lists.set(l.id, new Set(l.items.map((s) => s.toLowerCase())));
  }

  const phrases = new Map<string, CompiledPhraseList>();
  for (const f of raw.phrases) {
    const p = validate(phraseListSchema, f, problems);
    if (!p) continue;
    if (phrases.has(p.id)) problems.push(`${f.file}: duplicate phrase list id ${p.id}`);
    const patterns: RegExp[] = [];
    for (const src of p.patterns ?? []) {
      try {
        patterns.push(new RegExp(src, 'giu'));
      } catch (e) {
        problems.push(`${f.file}: bad pattern ${src}: ${(e as Error).message}`);
      }
    }
    phrases.set(p.id, {
      id: p.id,
      lang: p.lang,
      phrases: (p.phrases ?? []).map((ph) => {
        const compact = HAS_JAPANESE.test(ph);
        const folded = foldText(ph, folding);
        return { text: compact ? folded.replace(/\s+/g, '') : folded.replace(/\s+/g, ' '), compact };
      }),
      patterns,
    });
  }

  const rules: Rule[] = [];
  const ruleIds = new Set<string>();
  for (const f of raw.rules) {
    const r = validate(ruleSchema, f, problems);
    if (!r) continue;
    if (ruleIds.has(r.id)) problems.push(`${f.file}: duplicate rule id ${r.id}`);
    const expectedFile = `${r.id}.yaml`;
    if (!f.file.endsWith(expectedFile)) problems.push(`${f.file}: rule ${r.id} must live in ${expectedFile}`);
    ruleIds.add(r.id);
    rules.push(r);
  }
  const validated = validateRuleParams(rules);
  problems.push(...validated.problems);

  const messages = new Map<'ja' | 'en', Messages>();
  for (const f of raw.messages) {
    const m = validate(messagesSchema, f, problems);
    if (m) messages.set(m.lang, m);
  }
  const statements = raw.statements
    .map((f) => validate(statementLayoutSchema, f, problems))
    .filter((l): l is StatementLayout => l !== null);
  const riskRules = raw.risk
    .map((f) => validate(riskRuleSchema, f, problems))
    .filter((r): r is RiskRule => r !== null);
  for (const f of raw.risk) {
    const id = (f.data as { id?: string })?.id;
    if (id && !f.file.endsWith(`${id}.yaml`)) problems.push(`${f.file}: rule ${id} must live in ${id}.yaml`);
  }
  const playbooks = raw.playbooks
    .map((f) => validate(playbookSchema, f, problems))
    .filter((p): p is Playbook => p !== null);
  const reconcile = validate(reconcileSettingsSchema, raw.reconcile, problems);
  const scoring = validate(scoringSchema, raw.scoring, problems);
  if (!lookalike) problems.push('lists/lookalike.yaml is missing');
  if (problems.length || !scoring || !reconcile || !lookalike)
    throw new KnowledgeError(problems.length ? problems : ['scoring.yaml or reconcile.yaml is invalid']);
  return {
    merchants,
    lists,
    folding,
    phrases,
    lookalike,
    rules: validated.rules,
    scoring,
    messages,
    statements,
    riskRules,
    reconcile,
    playbooks,
  };
}
