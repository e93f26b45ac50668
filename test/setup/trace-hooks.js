// Module resolution hooks for trace-startup.js: each resolved module URL is appended to the trace file.
import { appendFileSync } from 'node:fs';

let out = '';
export function initialize(data) {
  out = data.out;
}
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(out, `module ${r.url}\n`);
  return r;
}
