import jsqrModule from 'jsqr';

// jsQR is CommonJS built from ESM: Node's import gives its exports object, whose `default` is the function.
type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'attemptBoth' | 'dontInvert' },
) => { data: string; location: Record<string, { x: number; y: number }> } | null;
const loaded = jsqrModule as unknown as JsQr | { default: JsQr };
const jsQR: JsQr = typeof loaded === 'function' ? loaded : loaded.default;
import type { Pixels } from './pixels.ts';

/**
 * The QR codes of a picture, dark-on-light and light-on-dark (`attemptBoth`). jsQR finds one code per pass; after a
 * code is found its area is blanked and the picture searched again, up to `max` codes.
 */
export function decodeQr(p: Pixels, max = 4): string[] {
  const out: string[] = [];
  let data = p.data;
  for (let n = 0; n < max; n++) {
    // The first search tries both polarities; a further code is looked for only in the ordinary one (cheaper).
    const code = jsQR(data, p.width, p.height, { inversionAttempts: n === 0 ? 'attemptBoth' : 'dontInvert' });
    if (!code || !code.data) break;
    if (!out.includes(code.data)) out.push(code.data);
    // Blank the code's bounding box (with its light frame) in a copy and look again.
    if (data === p.data) data = new Uint8ClampedArray(p.data);
    const corners = ['topLeftCorner', 'topRightCorner', 'bottomLeftCorner', 'bottomRightCorner'].map(
      (k) => code.location[k] ?? { x: 0, y: 0 },
    );
    const xs = corners.map((c) => c.x);
    const ys = corners.map((c) => c.y);
    const pad = 8;
    const x0 = Math.max(0, Math.floor(Math.min(...xs)) - pad);
    const x1 = Math.min(p.width, Math.ceil(Math.max(...xs)) + pad);
    const y0 = Math.max(0, Math.floor(Math.min(...ys)) - pad);
    const y1 = Math.min(p.height, Math.ceil(Math.max(...ys)) + pad);
    const v = data[(y0 * p.width + x0) << 2] ?? 255;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const i = (y * p.width + x) << 2;
        data[i] = data[i + 1] = data[i + 2] = v;
      }
  }
  return out;
}
