import pngjs from 'pngjs';
import type { Raster } from './imageGrid.js';

/**
 * Encodes an RGBA raster as the bytes of a PNG file (8 bits per channel, with alpha).
 *
 * @example
 * ```ts
 * const bytes = encodePng({ width: 1, height: 1, data: new Uint8Array([255, 0, 0, 255]) });
 * bytes.subarray(1, 4).toString(); // 'PNG'
 * ```
 */
export const encodePng = (raster: Raster): Buffer => {
  const png = new pngjs.PNG({ width: raster.width, height: raster.height });
  // pngjs encodes from its own buffer: copy into it rather than handing over the caller's bytes.
  png.data.set(raster.data);
  return pngjs.PNG.sync.write(png, { colorType: 6 });
};
