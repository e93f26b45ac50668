import { attachDetectors } from './attach.ts';
import { authDetectors } from './auth.ts';
import { bodyDetectors } from './body.ts';
import { imageDetectors } from './image.ts';
import { inputDetectors } from './input.ts';
import { linkDetectors } from './link.ts';
import { orderDetectors } from './order.ts';
import { senderDetectors } from './sender.ts';
import { textDetectors } from './text.ts';
import type { DetectorRegistry } from './types.ts';

/** Every detector a rule may name, one per id of `detectorIds`: the type fails to compile if one is missing. */
export const detectors: DetectorRegistry = {
  ...senderDetectors,
  ...authDetectors,
  ...linkDetectors,
  ...textDetectors,
  ...bodyDetectors,
  ...attachDetectors,
  ...orderDetectors,
  ...inputDetectors,
  ...imageDetectors,
};

export { detectorIds, type DetectorId } from './ids.ts';
export type { CheckRule, Detector, DetectorRegistry, Hit } from './types.ts';
