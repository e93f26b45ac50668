import type { Severity } from '#core/knowledge/schema.ts';

/**
 * One finding, the same shape for the mail check and for reconciliation: a stable id (the rule's, such as
 * `link.lookalike-host` or `order.night-time`), a severity, the exact evidence it is about, and parameters for
 * the sentence in data/messages. Tests assert on ids and params, never on sentences.
 */
export interface Finding {
  id: string;
  severity: Severity;
  /** The exact header, text, link, order or charge the rule is about. */
  evidence: string;
  params: Record<string, string | number>;
}
