// Loaded with --import into a CLI process by test/core/startup.test.ts: records every module the program loads
// and every file it reads, into the file named by MAMORI_TRACE, so the test can prove what start-up does not do.
import fs, { appendFileSync } from 'node:fs';
import { register, syncBuiltinESMExports } from 'node:module';

const out = process.env.MAMORI_TRACE;
const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (typeof path === 'string' || path instanceof URL) appendFileSync(out, `read ${String(path)}\n`);
  return readFileSync.call(this, path, ...rest);
};
syncBuiltinESMExports();
register('./trace-hooks.js', import.meta.url, { data: { out } });
