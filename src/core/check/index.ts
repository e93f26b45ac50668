export { checkMessage, evaluate, headlineOf, judge, noticeKinds } from './engine.ts';
export type {
  CheckOutcome,
  CheckResult,
  Finding,
  Headline,
  HeadlineId,
  LinkHeadlineId,
  LinkReport,
  NoticeKind,
  Verdict,
} from './engine.ts';
export { buildContext } from './context.ts';
export type { InputShape } from './shape.ts';
export type { CheckContext, CheckOptions } from './context.ts';
export { extractOrderIds, orderHistoryFrom, orderIdPattern } from './orders.ts';
export type { OrderHistory } from './orders.ts';
