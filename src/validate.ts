// Checks for what users pass in, with messages that say what was wrong and what to do instead.
// Used only at the public boundary; nothing below it validates again.

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function requireObject(value: unknown, name: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  return value;
}

/**
 * The object inside an engram file, given as the object or as its JSON text, once its format and version
 * are the ones this engram reads; `what` names the file in messages ('model file', 'memory file').
 */
export function readFileObject(input: unknown, what: string, format: string, version: number): Record<string, unknown> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new TypeError(`${what} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const o = requireObject(value, what);
  if (o.format !== format) {
    throw new TypeError(`not an engram ${what}: format is ${describe(o.format)}, expected '${format}'`);
  }
  if (o.version !== version) {
    throw new RangeError(`${what} version ${describe(o.version)} is not supported; this engram reads version ${version}`);
  }
  return o;
}

/** Throws on any key of `value` not in `allowed`, suggesting the allowed key it most resembles. */
export function rejectUnknownKeys(value: Record<string, unknown>, allowed: readonly string[], name: string): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const near = nearest(key, allowed);
    const hint = near ? `; did you mean '${near}'?` : `; the options are ${allowed.map((a) => `'${a}'`).join(', ')}`;
    throw new TypeError(`unknown option '${key}' in ${name}${hint}`);
  }
}

/**
 * The candidate a typo most likely meant: the closest by edit distance (ignoring case), if it is close
 * enough to be a slip (at most a third of the word, and at most 3 edits) rather than another word.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.min(3, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * True for a number that stays finite in float32, the type every buffer holds: NaN, ±Infinity and
 * anything beyond ±3.4028235e38 (which would become ±Infinity there) are not.
 */
export function fitsFloat32(value: number): boolean {
  return Number.isFinite(Math.fround(value));
}

/** What a message says a value that is not `fitsFloat32` must be: finite, or within float32's range. */
export function f32Requirement(value: number): string {
  return Number.isFinite(value) ? 'within float32 range (±3.4e38)' : 'a finite number';
}

/** An option's value, or `fallback` when it was left out; null is a value like any other, and refused as one. */
export function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

/** A wrong kind of value is a TypeError; a number out of range (NaN and ±Infinity included) a RangeError. */
export function requireFiniteNumber(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a finite number, got ${describe(value)}`);
  if (!fitsFloat32(value)) throw new RangeError(`${name} must be ${f32Requirement(value)}, got ${describe(value)}`);
  return value;
}

export function requirePositiveNumber(value: unknown, name: string): number {
  const n = requireFiniteNumber(value, name);
  if (n <= 0) throw new RangeError(`${name} must be greater than 0, got ${n}`);
  // Settings are kept as float32: one below its smallest positive value would become 0 there.
  if (Math.fround(n) === 0) throw new RangeError(`${name} ${n} is too small for float32, where it would be 0; use at least 1.5e-45`);
  return n;
}

export function requireNonNegativeNumber(value: unknown, name: string): number {
  const n = requireFiniteNumber(value, name);
  if (n < 0) throw new RangeError(`${name} must be 0 or more, got ${n}`);
  return n;
}

/** A number in [low, high) — for rates such as momentum, beta1, rho. */
export function requireFraction(value: unknown, name: string, low = 0, high = 1): number {
  const n = requireFiniteNumber(value, name);
  if (n < low || n >= high) throw new RangeError(`${name} must be at least ${low} and less than ${high}, got ${n}`);
  return n;
}

export function requireInteger(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = requireFiniteNumber(value, name);
  if (!Number.isInteger(n)) throw new RangeError(`${name} must be a whole number, got ${n}`);
  if (n < min) throw new RangeError(`${name} must be ${min} or more, got ${n}`);
  if (n > max) throw new RangeError(`${name} must be at most ${max}, got ${n}`);
  return n;
}

export function requireBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false, got ${describe(value)}`);
  return value;
}

export function requireChoice<T extends string>(value: unknown, choices: readonly T[], name: string): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  const near = typeof value === 'string' ? nearest(value, choices) : undefined;
  const hint = near ? `; did you mean '${near}'?` : `; expected one of ${choices.map((c) => `'${c}'`).join(', ')}`;
  throw new TypeError(`unknown ${name} ${describe(value)}${hint}`);
}
