/** Something the person should know now (a phishing mail arrived, the store is busy): a message key and facts. */
export interface Alert {
  key: string;
  params?: Record<string, unknown>;
}

/** Tells the person: stderr for the CLI (`src/adapters/notify`), a desktop notification for the watcher later. */
export interface Notifier {
  notify(alert: Alert): void;
}
