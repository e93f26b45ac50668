import type { Merchant } from '#core/knowledge/schema.ts';
import type { Region } from './plan.ts';

/**
 * Where to report a phishing mail that impersonates a brand, as a person reads it after the verdict:
 * - the council for everyone in Japan (フィッシング対策協議会; APWG from the US playbook);
 * - for a card brand, the card company itself (the number on the back of the card: never one in the mail);
 * - the brand's own route from its profile (data/merchants `report`), with the profile's uncertainty mark kept.
 * Amazon's own route is the playbook's (its report step names the screens), so its family gives `amazon`.
 */
export type ReportRoute =
  | { kind: 'council'; region: Region }
  | { kind: 'amazon'; region: Region }
  | { kind: 'card-company'; brand: string }
  | {
      kind: 'brand';
      brand: string;
      id: string;
      email?: string;
      url?: string;
      uncertain: boolean;
      source: string;
    };

const COUNCIL_IDS = new Set(['antiphishing-council']);

export function reportRoutesFor(merchant: Merchant | null, region: Region): ReportRoute[] {
  const routes: ReportRoute[] = [];
  if (merchant && (merchant.family ?? merchant.id).startsWith('amazon'))
    routes.push({ kind: 'amazon', region });
  else if (merchant) {
    if (merchant.kind === 'card-issuer') routes.push({ kind: 'card-company', brand: merchant.name });
    for (const r of merchant.report) {
      if (COUNCIL_IDS.has(r.id) || (!r.email && !r.url)) continue;
      routes.push({
        kind: 'brand',
        brand: merchant.name,
        id: r.id,
        ...(r.email ? { email: r.email } : {}),
        ...(r.url ? { url: r.url } : {}),
        uncertain: r.uncertain === true,
        source: r.source,
      });
    }
  }
  routes.push({ kind: 'council', region });
  return routes;
}
