// The colour scales the Memory and Saliency panels paint with.
import { describe, expect, it } from 'vitest';
import { divergingColour, grayColours, heatmapColours } from '../../playground/pictures.js';

describe('divergingColour', () => {
  it('is white at 0, blue below, red above, and saturates beyond ±1', () => {
    expect(divergingColour(0)).toEqual([255, 255, 255]);
    const [r, , b] = divergingColour(-0.5);
    expect(b).toBeGreaterThan(r);
    const [r2, , b2] = divergingColour(0.5);
    expect(r2).toBeGreaterThan(b2);
    expect(divergingColour(3)).toEqual(divergingColour(1));
    expect(divergingColour(-3)).toEqual(divergingColour(-1));
  });
});

describe('heatmapColours', () => {
  it('scales by the largest |attribution|, so it reaches full strength on one side', () => {
    const colours = heatmapColours([0, 0.5, -2, 1]);
    expect(colours[0]).toEqual([255, 255, 255]);
    expect(colours[2]).toEqual(divergingColour(-1));
    expect(colours[3]).toEqual(divergingColour(0.5));
  });

  it('paints all-zero attributions white instead of dividing by zero', () => {
    expect(heatmapColours([0, 0])).toEqual([[255, 255, 255], [255, 255, 255]]);
  });
});

describe('grayColours', () => {
  it('draws hi as black ink, lo as white paper, clamping outside', () => {
    expect(grayColours([1, -1, 0, 5], -1, 1)).toEqual([[0, 0, 0], [255, 255, 255], [128, 128, 128], [0, 0, 0]]);
  });
});
