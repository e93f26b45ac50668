import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { pictureFormat } from './header.ts';

export { pictureFormat, pictureSize, type PictureFormat } from './header.ts';

/** A picture's pixels, RGBA, as jsQR reads them. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Decodes a PNG or JPEG to RGBA (pure JavaScript: pngjs, jpeg-js, with jpeg-js's own memory limits). */
export function decodePixels(b: Uint8Array, maxPixels: number): Pixels | null {
  const f = pictureFormat(b);
  if (f === 'png') {
    const png = PNG.sync.read(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    return {
      width: png.width,
      height: png.height,
      data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength),
    };
  }
  if (f === 'jpeg') {
    const img = jpeg.decode(b, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: Math.ceil(maxPixels / 1_000_000),
      maxMemoryUsageInMB: 512,
    });
    return {
      width: img.width,
      height: img.height,
      data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength),
    };
  }
  return null;
}
