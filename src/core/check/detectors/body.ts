import { MAX_HITS } from './shared.ts';
import type { Detector, DetectorRegistry } from './types.ts';

const bodyForm: Detector<'body-form'> = (ctx) =>
  (ctx.html?.forms ?? []).slice(0, MAX_HITS).map((f) => ({
    evidence: `<form action="${f.action.slice(0, 160)}" method="${f.method}"> ${f.inputs.slice(0, 8).join(', ')}`,
    params: { action: f.action.slice(0, 160), inputs: f.inputs.slice(0, 8).join(', ') },
  }));

/** What the body asks the reader to do in the mail itself. */
export const bodyDetectors = {
  'body-form': bodyForm,
} satisfies Partial<DetectorRegistry>;
