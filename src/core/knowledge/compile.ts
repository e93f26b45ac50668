import type { CheckRule } from '#core/check/detectors/types.ts';
import { foldText, type Folding } from '#core/text/normalize.ts';
import type {
  List,
  Lookalike,
  Merchant,
  Messages,
  PhraseList,
  Playbook,
  ReconcileSettings,
  RiskRule,
  Scoring,
  StatementLayout,
} from './schema.ts';

/**
 * The knowledge as it runs: built ahead of time from data/ (validated with zod once, by `npm run build`, into
 * per-feature JSON without the rules' test cases) and compiled here without zod: phrase lists into folded phrases
 * and regular expressions, lists into sets. The CLI, the browser workers and the watcher load the same parts.
 */

/** The part the mail check needs. */
export interface BuiltCheck {
  merchants: Merchant[];
  confusables: Record<string, string>;
  lists: List[];
  phrases: PhraseList[];
  lookalike: BuiltLookalike;
  /** Parameters validated against each rule's detector by the build, defaults applied. */
  rules: CheckRule[];
  scoring: Scoring;
}

/** data/lists/lookalike.yaml without its cases. */
export type BuiltLookalike = Pick<Lookalike, 'skeleton' | 'suffixes'>;

/** The part import and reconciliation need. */
export interface BuiltLedger {
  merchants: Merchant[];
  confusables: Record<string, string>;
  lists: List[];
  statements: StatementLayout[];
  riskRules: RiskRule[];
  reconcile: ReconcileSettings;
}

/** The part plans, cases and reports need. */
export interface BuiltPlan {
  merchants: Merchant[];
  playbooks: Playbook[];
}

/** Every part, as `npm run build` writes them to dist/knowledge/<part>.json. */
export interface BuiltKnowledge {
  check: BuiltCheck;
  ledger: BuiltLedger;
  plan: BuiltPlan;
  'messages.ja': BuiltMessages;
  'messages.en': BuiltMessages;
}

/**
 * A language's sentences as built: data/messages, and the brands whose names read otherwise in that language
 * (from the merchant profiles, `brandNamesIn`), so a sentence names a brand in its own language wherever it is shown.
 */
export type BuiltMessages = Messages & { brands: Record<string, string> };
export const builtParts = ['check', 'ledger', 'plan', 'messages.ja', 'messages.en'] as const;
export type BuiltPart = (typeof builtParts)[number];

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
}

/** What the mail check runs on. */
export interface CheckKnowledge {
  merchants: Merchant[];
  lists: Map<string, Set<string>>;
  folding: Folding;
  phrases: Map<string, CompiledPhraseList>;
  lookalike: CompiledLookalike;
  rules: CheckRule[];
  scoring: Scoring;
}

/** What import and reconciliation run on. */
export interface LedgerKnowledge {
  merchants: Merchant[];
  folding: Folding;
  lists: Map<string, Set<string>>;
  statements: StatementLayout[];
  riskRules: RiskRule[];
  reconcile: ReconcileSettings;
}

/** What plans, cases and reports run on. */
export interface PlanKnowledge {
  merchants: Merchant[];
  playbooks: Playbook[];
}

/** Every sentence the user sees, per language. */
export interface MessageKnowledge {
  messages: Map<'ja' | 'en', BuiltMessages>;
}

/** Everything, for the CLI, which runs every feature. */
export type Knowledge = CheckKnowledge & LedgerKnowledge & PlanKnowledge & MessageKnowledge;

const HAS_JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** Phrase lists as matchers: phrases folded like the text they are matched against, patterns compiled. */
export function compilePhrases(lists: PhraseList[], folding: Folding): Map<string, CompiledPhraseList> {
  const phrases = new Map<string, CompiledPhraseList>();
  for (const p of lists) {
    phrases.set(p.id, {
      id: p.id,
      lang: p.lang,
      phrases: (p.phrases ?? []).map((ph) => {
        const compact = HAS_JAPANESE.test(ph);
        const folded = foldText(ph, folding);
        return { text: compact ? folded.replace(/\s+/g, '') : folded.replace(/\s+/g, ' '), compact };
      }),
      patterns: (p.patterns ?? []).map((src) => new RegExp(src, 'giu')),
    });
  }
  return phrases;
}

function compileLists(lists: List[]): Map<string, Set<string>> {
  return new Map(lists.map((l) => [l.id, new Set(l.items.map((s) => s.toLowerCase()))]));
}

const foldingOf = (confusables: Record<string, string>): Folding => new Map(Object.entries(confusables));

export function compileCheck(part: BuiltCheck): CheckKnowledge {
  const folding = foldingOf(part.confusables);
  return {
    merchants: part.merchants,
    lists: compileLists(part.lists),
    folding,
    phrases: compilePhrases(part.phrases, folding),
    lookalike: {
      skeleton: new Map(Object.entries(part.lookalike.skeleton)),
      suffixes: new Set(part.lookalike.suffixes),
    },
    rules: part.rules,
    scoring: part.scoring,
  };
}

export function compileLedger(part: BuiltLedger): LedgerKnowledge {
  return {
    merchants: part.merchants,
    folding: foldingOf(part.confusables),
    lists: compileLists(part.lists),
    statements: part.statements,
    riskRules: part.riskRules,
    reconcile: part.reconcile,
  };
}

export function compilePlan(part: BuiltPlan): PlanKnowledge {
  return { merchants: part.merchants, playbooks: part.playbooks };
}

export function compileMessages(ja: BuiltMessages, en: BuiltMessages): MessageKnowledge {
  return {
    messages: new Map([
      ['ja', ja],
      ['en', en],
    ]),
  };
}

/** All parts compiled into one object. */
export function compileBuilt(parts: BuiltKnowledge): Knowledge {
  return {
    ...compilePlan(parts.plan),
    ...compileLedger(parts.ledger),
    ...compileCheck(parts.check),
    ...compileMessages(parts['messages.ja'], parts['messages.en']),
  };
}
