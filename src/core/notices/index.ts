export { noticeTemplateFor, parseNoticeText } from './parse.ts';
export { parseAmazonOrderMail } from './amazon-order.ts';
export type { AmazonOrderMail } from './amazon-order.ts';
export type { NoticeCharge, NoticeKnowledge, NoticeTemplate, ParsedNotice } from './types.ts';
export { testChargeOf } from './test-charges.ts';
export type { ChargeFact, TestChargePattern, TestChargeRule } from './test-charges.ts';
