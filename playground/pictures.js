// Pixel images on canvas: a grayscale (or ±1) digit, and a diverging heat map of attributions (red
// where a pixel pushed the prediction up, blue where it held it down, white for nothing). Each image
// is painted at one canvas pixel per image pixel, then scaled up without smoothing: square pixels.

const RED = [202, 0, 32];
const BLUE = [5, 113, 176];

/** t in [−1, 1] → [r, g, b]: blue at −1, white at 0, red at +1. */
export function divergingColour(t) {
  const c = t < 0 ? BLUE : RED;
  const s = Math.min(1, Math.abs(t));
  return c.map((v) => Math.round(255 + (v - 255) * s));
}

/** Attributions → colours, scaled so the largest |attribution| is full strength. */
export function heatmapColours(attributions) {
  let largest = 0;
  for (const a of attributions) largest = Math.max(largest, Math.abs(a));
  return Array.from(attributions, (a) => divergingColour(largest > 0 ? a / largest : 0));
}

/** Values in [lo, hi] → ink on paper: `hi` black, `lo` white. */
export function grayColours(values, lo = 0, hi = 1) {
  return Array.from(values, (v) => {
    const g = Math.round(255 * (1 - Math.min(1, Math.max(0, (v - lo) / (hi - lo)))));
    return [g, g, g];
  });
}

/** Paints side×side colours onto the whole canvas. */
export function paint(canvas, colours, side) {
  const small = document.createElement('canvas');
  small.width = small.height = side;
  const smallContext = small.getContext('2d');
  const image = smallContext.createImageData(side, side);
  colours.forEach(([r, g, b], i) => image.data.set([r, g, b, 255], i * 4));
  smallContext.putImageData(image, 0, 0);
  const context = canvas.getContext('2d');
  context.imageSmoothingEnabled = false;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
}
