import { imageGrid } from './imageGrid.js';

const pixel = (r: { width: number; data: Uint8Array }, x: number, y: number) => Array.from(r.data.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 4));

describe('imageGrid', () => {
  it('maps -1 to black and +1 to white, each value a scale x scale block', () => {
    const r = imageGrid({ images: [Float32Array.from([-1, 1, 0, 5])], size: 2, columns: 1, scale: 2, gap: 0 });
    expect([r.width, r.height]).toEqual([4, 4]);
    expect(pixel(r, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(r, 1, 1)).toEqual([0, 0, 0, 255]);
    expect(pixel(r, 2, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(r, 0, 2)).toEqual([128, 128, 128, 255]);
    expect(pixel(r, 3, 3)).toEqual([255, 255, 255, 255]);
  });

  it('lays images out in rows of `columns` with gaps of background', () => {
    const images = [1, 2, 3].map(() => new Float32Array(4).fill(1));
    const r = imageGrid({ images, size: 2, columns: 2, scale: 1, gap: 1 });
    expect([r.width, r.height]).toEqual([1 + 2 * 3, 1 + 2 * 3]);
    expect(pixel(r, 0, 0)).toEqual([34, 38, 46, 255]);
    expect(pixel(r, 1, 1)).toEqual([255, 255, 255, 255]);
    expect(pixel(r, 4, 1)).toEqual([255, 255, 255, 255]);
    expect(pixel(r, 4, 4)).toEqual([34, 38, 46, 255]);
  });

  it('makes room for digit labels and draws them', () => {
    const plain = imageGrid({ images: [new Float32Array(64)], size: 8, columns: 1, scale: 4, gap: 2 });
    const labelled = imageGrid({ images: [new Float32Array(64)], size: 8, columns: 1, scale: 4, gap: 2, columnLabels: ['7'], rowLabels: ['12'] });
    expect(labelled.height).toBe(plain.height + 14 + 2);
    expect(labelled.width).toBeGreaterThan(plain.width);
    const ink = (r: typeof labelled) => {
      let n = 0;
      for (let i = 0; i < r.data.length; i += 4) if (r.data[i] === 230 && r.data[i + 1] === 200) n++;
      return n;
    };
    expect(ink(plain)).toBe(0);
    // a 7 has 11 font pixels, a 1 has 10 and a 2 has 14, each drawn 2 x 2
    expect(ink(labelled)).toBe(4 * (11 + 10 + 14));
  });

  it('does not change the images', () => {
    const image = Float32Array.from([-1, 1, 0, 0.5]);
    imageGrid({ images: [image], size: 2, columns: 1 });
    expect(Array.from(image)).toEqual([-1, 1, 0, 0.5]);
  });
});
