/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a CommonJS worker script, run where tesseract.js runs its own */
// Reports what `fetch` is inside mamori's OCR worker entry, without calling it.
require('node:worker_threads').parentPort.postMessage({ fetch: String(globalThis.fetch) });
