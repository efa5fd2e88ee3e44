// The digits the Memory and Saliency panels use, decoded from digits.generated.js (written by
// scripts/playground-digits.mjs at build time: base64 of uint8 pixels, so nothing downloads at run time).

/** base64 → bytes, with atob (browsers and Node ≥ 16 both have it). */
export function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A generated set → { side, images: Float32Array[] with pixels in [0, 1], labels: number[] }; without
 * labels (the prototypes), each image is labelled by its index.
 * @param {{ side: number, count: number, pixels: string, labels?: string }} set
 */
export function decodeSet({ side, count, pixels, labels }) {
  const bytes = decodeBase64(pixels);
  const size = side * side;
  const images = Array.from({ length: count }, (_, n) => Float32Array.from(bytes.subarray(n * size, (n + 1) * size), (v) => v / 255));
  const labelBytes = labels === undefined ? undefined : decodeBase64(labels);
  return { side, images, labels: labelBytes ? Array.from(labelBytes) : images.map((_, n) => n) };
}

/** Ink is +1, paper −1: the bipolar states a classical Hopfield memory stores. */
export function binarize(image, threshold = 0.5) {
  return Float32Array.from(image, (v) => (v > threshold ? 1 : -1));
}
