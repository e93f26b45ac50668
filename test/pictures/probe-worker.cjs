/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a CommonJS worker script, run where tesseract.js runs its own */
// Run as the "worker script" inside mamori's OCR worker entry (instead of tesseract.js's): reports whether the
// network can be reached from there.
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
const out = {};
try {
  net.connect(443, 'cdn.jsdelivr.net').on('error', () => {});
  out.socket = 'allowed';
} catch (e) {
  out.socket = String(e.message);
}
Promise.resolve()
  .then(() => fetch('https://cdn.jsdelivr.net/npm/@tesseract.js-data/jpn/4.0.0_best_int/jpn.traineddata.gz'))
  .then(
    () => (out.fetch = 'allowed'),
    (e) => (out.fetch = String(e.message)),
  )
  .then(() => parentPort.postMessage(out));
