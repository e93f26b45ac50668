/**
 * Reads one Outlook .msg (@kenjiuno/msgreader) in a Web Worker of its own, started by the engine for that file and
 * ended by it after a deadline: a broken file that loops ends this worker, not the engine. Only the fields mamori
 * uses go back.
 */
import msgreader from '@kenjiuno/msgreader';
import { msgFields } from '#core/mail/msg.ts';

// A CommonJS package: its class is the module's `default` (or the module itself, as the bundler hands it over).
type Reader = typeof msgreader.default;
const MsgReader: Reader =
  (msgreader as unknown as { default?: Reader }).default ?? (msgreader as unknown as Reader);

self.onmessage = (e: MessageEvent<Uint8Array>) => {
  const b = e.data;
  try {
    const data = new MsgReader(
      b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer,
    ).getFileData();
    self.postMessage(msgFields(data as unknown as Record<string, unknown>));
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message.slice(0, 200) : String(err) });
  }
};
