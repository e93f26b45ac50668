/**
 * Closed sets the knowledge schemas and the run-time code share. Kept apart from `schema.ts` so that code which
 * runs on every mail (the check, in the CLI, the browser and the watcher) never loads zod.
 */

/** Severity of a finding, lowest first. `info` findings explain; they never raise the score. */
export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];
