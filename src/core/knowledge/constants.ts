/**
 * Closed sets the knowledge schemas and the run-time code share. Kept apart from `schema.ts` so that code which
 * runs on every mail (the check, in the CLI, the browser and the watcher) never loads zod.
 */

/** Severity of a finding, lowest first. `info` findings explain; they never raise the score. */
export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/** What happened to the person, in the playbooks' words; the plan's steps are chosen by these. */
export const situations = [
  'suspicious-mail',
  'clicked-link',
  'entered-password',
  'entered-card',
  'entered-personal-info',
  'unknown-order',
  'unknown-charge',
  'locked-out',
  'account-changed',
  'item-shipped',
  'item-arrived',
  'gift-card-drained',
  'digital-purchase',
  'accidental-purchase',
] as const;
export type Situation = (typeof situations)[number];
