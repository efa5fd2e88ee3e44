// @ts-check
// Table formatting and the arithmetic behind every ratio the suite reports. Pure functions of numbers,
// so test/bench.test.ts can check them on fixed inputs.

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(/** @type {readonly number[]} */ values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * How many times faster `system` is than `baseline`, from their median times (ms): > 1 means faster.
 * @param {number} systemMs @param {number} baselineMs
 */
export function speedup(systemMs, baselineMs) {
  return baselineMs / systemMs;
}

/** Billions of floating-point operations per second, from an operation count and a time in ms. */
export function gflops(/** @type {number} */ flops, /** @type {number} */ ms) {
  return flops / (ms * 1e6);
}

/** Floating-point operations of an m×k by k×n product: one multiply and one add per term. */
export function gemmFlops(/** @type {number} */ m, /** @type {number} */ k, /** @type {number} */ n) {
  return 2 * m * k * n;
}

/** A number to `digits` significant digits, without exponent notation for the magnitudes we print. */
export function formatNumber(/** @type {number} */ x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  const rounded = x.toFixed(decimals);
  // Large values keep thousands separators for readability: 123456 → 123,456.
  if (Math.abs(x) >= 10000) return Math.round(x).toLocaleString('en-US');
  return rounded;
}

/** A ratio as "2.35×". */
export function formatRatio(/** @type {number} */ r) {
  return `${formatNumber(r, 3)}×`;
}

/** A duration in ms, in the unit that reads best: ns, µs, ms or s. */
export function formatTime(/** @type {number} */ ms) {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1e-3) return `${formatNumber(ms * 1e6)} ns`;
  if (ms < 1) return `${formatNumber(ms * 1e3)} µs`;
  if (ms < 1000) return `${formatNumber(ms)} ms`;
  return `${formatNumber(ms / 1000)} s`;
}

/** A byte count as B, KiB or MiB. */
export function formatBytes(/** @type {number} */ bytes) {
  if (Math.abs(bytes) < 1024) return `${formatNumber(bytes)} B`;
  if (Math.abs(bytes) < 1024 ** 2) return `${formatNumber(bytes / 1024)} KiB`;
  return `${formatNumber(bytes / 1024 ** 2)} MiB`;
}

/** Whether a cell reads as a number (a figure, ratio, time or percentage, or a dash for none). */
export function isNumeric(/** @type {string} */ cell) {
  return /^[-−+]?[\d.,]+(\s?(×|%|[nµm]?s|[KM]?i?B|B))?$|^—$/.test(cell.trim());
}

/**
 * A GitHub markdown table. Unless `align` says otherwise, columns of numbers are right-aligned and all
 * others left-aligned.
 * @param {readonly string[]} headers
 * @param {ReadonlyArray<ReadonlyArray<string | number>>} rows
 * @param {readonly ('l' | 'r')[]} [align]
 */
export function markdownTable(headers, rows, align) {
  const cells = rows.map((row) => row.map((c) => String(c).replaceAll('|', '\\|')));
  const columns = headers.map((_, i) =>
    align ? align[i] : cells.length > 0 && cells.every((row) => isNumeric(row[i] ?? '')) ? 'r' : 'l');
  const line = (/** @type {readonly string[]} */ values) => `| ${values.join(' | ')} |`;
  const rule = columns.map((a) => (a === 'r' ? '---:' : ':---'));
  return [line(headers), line(rule), ...cells.map(line)].join('\n');
}

/**
 * Whether a measured value meets its target.
 * @param {number} measured
 * @param {number} target
 * @param {'atLeast' | 'atMost'} direction
 */
export function meets(measured, target, direction) {
  if (!Number.isFinite(measured)) return false;
  return direction === 'atLeast' ? measured >= target : measured <= target;
}

/** "pass" or "FAIL". */
export function verdict(/** @type {boolean} */ ok) {
  return ok ? 'pass' : 'FAIL';
}
