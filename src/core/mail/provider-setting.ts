import type { Store } from '#core/ports/store.ts';
import { providerById, type ProviderId } from './providers.ts';

/**
 * The person's mail provider, remembered in the store (`mamori config provider gmail`): check and the watcher use
 * it when `--provider` is not given. Kept as a setting (the Store port has no dedicated field); an empty value is
 * "not set" (the port cannot delete a setting), and a value that names no known provider reads as not set.
 */
export const PROVIDER_SETTING = 'mail.provider';

export async function storedProvider(store: Pick<Store, 'getSetting'>): Promise<ProviderId | null> {
  const v = await store.getSetting(PROVIDER_SETTING);
  return v ? (providerById(v)?.id ?? null) : null;
}

/** Remembers the provider, or forgets it (null). An unknown id is refused, and nothing is written. */
export async function rememberProvider(
  store: Pick<Store, 'setSetting'>,
  id: string | null,
): Promise<{ ok: true } | { ok: false; unknown: string }> {
  if (id !== null && !providerById(id)) return { ok: false, unknown: id };
  await store.setSetting(PROVIDER_SETTING, id ?? '');
  return { ok: true };
}
