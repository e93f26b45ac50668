/**
 * A brand as sentences name it, in the person's language: the one place the CLI, the page and the plan get a
 * brand's name from. Findings carry the profile's `name` as their `brand` parameter (楽天カード), whatever the
 * language; a sentence in English says the profile's `nameEn` (Rakuten Card) instead.
 */

export type BrandLang = 'ja' | 'en';

/** What a merchant profile says of its names. */
export interface NamedBrand {
  name: string;
  nameEn?: string | undefined;
}

/** A brand's name in `lang`: its English name in English, where its profile has one; otherwise its name. */
export function brandName(m: NamedBrand, lang: BrandLang): string {
  return lang === 'en' && m.nameEn ? m.nameEn : m.name;
}

/**
 * The profiles' names (as findings carry them) that read otherwise in `lang`, each with its name there. Built once
 * into the language's messages (dist/knowledge/messages.<lang>.json), so the page needs no merchant profiles.
 */
export function brandNamesIn(merchants: readonly NamedBrand[], lang: BrandLang): Record<string, string> {
  const names: Record<string, string> = {};
  for (const m of merchants) {
    const said = brandName(m, lang);
    if (said !== m.name && !Object.hasOwn(names, m.name)) names[m.name] = said;
  }
  return names;
}

/**
 * A sentence's parameters with the brand said in the sentence's language (`names` from `brandNamesIn`). Other
 * parameters, and a brand no profile names, are left as they are.
 */
export function withBrandNamed<P extends Record<string, unknown>>(
  params: P,
  names: Readonly<Record<string, string>>,
): P {
  const brand = params.brand;
  if (typeof brand !== 'string' || !Object.hasOwn(names, brand)) return params;
  return { ...params, brand: names[brand] };
}
