/** A value now or later: the SQLite store answers synchronously, a browser (IndexedDB) store will not. */
export type Awaitable<T> = T | Promise<T>;
