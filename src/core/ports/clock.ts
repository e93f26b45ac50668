/** "Today" and "now", injected: core never reads the system clock, so plans and tests are reproducible. */
export interface Clock {
  /** The local calendar date, YYYY-MM-DD. */
  today(): string;
  /** An ISO 8601 timestamp (UTC). */
  now(): string;
}
