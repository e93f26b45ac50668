/** What the screens share: the language, the person's situations and dates, the current case. */
import type { Situation } from '#core/knowledge/constants.ts';
import type { CaseView, DateFacts, Lang, StoreMode } from '../engine/protocol.ts';

export interface Shared {
  lang: Lang;
  mode: StoreMode | null;
  situations: Situation[];
  /** The situations ticked; with `brand` (not undefined), the brand of the plan too, in the same request. */
  setSituations(s: Situation[], brand?: string | null): void;
  dates: DateFacts;
  setDates(d: DateFacts): void;
  caseView: CaseView | null;
  setCaseView(v: CaseView | null): void;
  /** The brand a checked fake mail claimed when it is not Amazon (a profile id): the plan is that brand's. */
  brand: string | null;
  setBrand(b: string | null): void;
  /** The current case, opened with the situations ticked when there is none yet. */
  ensureCase(): Promise<CaseView>;
  go(route: Route): void;
}

export const routes = ['home', 'check', 'charges', 'plan', 'case', 'prevent', 'alerts', 'watch'] as const;
export type Route = (typeof routes)[number];

/** The seven buttons of the first screen, in the person's words, each with the situations it stands for. */
export const firstButtons: { key: string; situations: Situation[] }[] = [
  { key: 'mail', situations: ['suspicious-mail'] },
  { key: 'entered', situations: ['clicked-link'] },
  { key: 'charge', situations: ['unknown-charge'] },
  { key: 'order', situations: ['unknown-order'] },
  { key: 'locked', situations: ['locked-out', 'account-changed'] },
  { key: 'parcel', situations: ['item-shipped', 'item-arrived'] },
  { key: 'gift', situations: ['gift-card-drained'] },
];

/** Asked only under 「リンクを開いた／…入力してしまった」: what was typed decides how urgent the card is. */
export const enteredDetails: { key: string; situation: Situation }[] = [
  { key: 'password', situation: 'entered-password' },
  { key: 'card', situation: 'entered-card' },
  { key: 'personal', situation: 'entered-personal-info' },
];

export function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function fileBytes(f: File): Promise<Uint8Array> {
  return new Uint8Array(await f.arrayBuffer());
}

/** An amount as the person's language writes it (¥4,980 / $12.34). */
export function money(n: number, currency: string, lang: string) {
  try {
    return new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-US', { style: 'currency', currency }).format(
      n,
    );
  } catch {
    return `${n} ${currency}`;
  }
}
