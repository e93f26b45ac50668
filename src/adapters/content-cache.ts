/**
 * What was read from a file (an attached PDF, a picture) remembered by its content, for the next mail that carries
 * the same bytes: a mailbox holds the same logo in every mail of a sender and the same PDF in every copy of a
 * campaign, and reading them again is most of what checking such mail costs.
 *
 * The key is the bytes' SHA-256 (Web Crypto, in Node and in the page): a cheaper hash could be made to collide,
 * and a hostile PDF would then be given the reading of a harmless one. Bounded by entries (least recently used goes
 * first); only complete readings are kept (`keep`), so a reading cut short by a deadline on a busy machine is read
 * again next time.
 */
export interface ContentCache<V> {
  /** The key of `bytes` (their length and SHA-256). */
  keyOf(bytes: Uint8Array): Promise<string>;
  get(key: string): V | undefined;
  /** Remembers `value` when `keep(value)`. */
  set(key: string, value: V): void;
  readonly size: number;
}

export function contentCache<V>(maxEntries: number, keep: (v: V) => boolean): ContentCache<V> {
  const entries = new Map<string, V>();
  return {
    async keyOf(bytes) {
      const own =
        bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', own));
      let hex = '';
      for (const b of digest) hex += b.toString(16).padStart(2, '0');
      return `${bytes.byteLength}:${hex}`;
    },
    get(key) {
      const v = entries.get(key);
      if (v === undefined) return undefined;
      // Most recently used last: the first key is the one to drop.
      entries.delete(key);
      entries.set(key, v);
      return v;
    },
    set(key, value) {
      if (maxEntries <= 0 || !keep(value)) return;
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
  };
}

/** `read`, with what it read remembered by content (`contentCache`). */
export function cachedByContent<A extends unknown[], V>(
  read: (bytes: Uint8Array, ...rest: A) => Promise<V>,
  cache: ContentCache<V>,
): (bytes: Uint8Array, ...rest: A) => Promise<V> {
  return async (bytes, ...rest) => {
    const key = await cache.keyOf(bytes);
    const known = cache.get(key);
    if (known !== undefined) return known;
    const v = await read(bytes, ...rest);
    cache.set(key, v);
    return v;
  };
}
