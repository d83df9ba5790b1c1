import pngjs from 'pngjs';
import { encodePng } from './encodePng.js';

describe('encodePng', () => {
  it('writes a PNG that decodes to the same pixels', () => {
    const data = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 128, 10, 20, 30, 255, 1, 2, 3, 4, 5, 6, 7, 8]);
    const bytes = encodePng({ width: 3, height: 2, data });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const back = pngjs.PNG.sync.read(bytes);
    expect([back.width, back.height]).toEqual([3, 2]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('leaves the raster as it was', () => {
    const data = new Uint8Array(4).fill(7);
    encodePng({ width: 1, height: 1, data });
    expect(Array.from(data)).toEqual([7, 7, 7, 7]);
  });
});
