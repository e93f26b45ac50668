export { checkMessage, evaluate, judge } from './engine.ts';
export type { CheckOutcome, CheckResult, Finding, LinkReport, Verdict } from './engine.ts';
export { buildContext } from './context.ts';
export type { CheckContext, CheckOptions } from './context.ts';
export { extractOrderIds, orderHistoryFrom, orderIdPattern } from './orders.ts';
export type { OrderHistory } from './orders.ts';
