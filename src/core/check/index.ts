export { checkMessage, evaluate, judge, ruleProblems } from './engine.ts';
export type { CheckOutcome, CheckResult, Finding, LinkReport, Verdict } from './engine.ts';
export { buildContext } from './context.ts';
export type { CheckContext, CheckOptions } from './context.ts';
export { extractOrderIds, orderHistoryFrom } from './orders.ts';
export type { OrderHistory } from './orders.ts';
