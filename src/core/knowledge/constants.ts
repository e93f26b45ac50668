/**
 * Closed sets the knowledge schemas and the run-time code share. Kept apart from `schema.ts` so that code which
 * runs on every mail (the check, in the CLI, the browser and the watcher) never loads zod.
 */

/** Severity of a finding, lowest first. `info` findings explain; they never raise the score. */
export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/**
 * What a checked input is (`src/core/check/shape.ts`): a mail with headers, pasted text, an SMS-shaped text (short,
 * at most one link, no headers), or a link on its own. Rules may run only on some shapes (`inputs`).
 */
export const inputShapes = ['mail', 'pasted', 'sms', 'link'] as const;
export type InputShape = (typeof inputShapes)[number];

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

/**
 * When a plan step is due. `after-access`: only once the person can sign in again; `if-needed`: conditional
 * (the step says on what). Urgency, not a deadline: a dated cut-off is a separate field.
 */
export const stepWhens = ['now', 'today', 'this-week', 'after-access', 'if-needed'] as const;
export type StepWhen = (typeof stepWhens)[number];

/** Days of the week as routes' opening hours name them, Sunday first (as `getUTCDay` counts). */
export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];
