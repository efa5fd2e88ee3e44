// What a call threw, as { name, message }, so one assertion shows both the class and the text that came
// back; 'no error' when it returned normally.
import { expect } from 'vitest';

export interface Caught {
  name: string;
  message: string;
}

function toCaught(error: unknown): Caught {
  if (error instanceof Error) return { name: error.constructor.name, message: error.message };
  return { name: `a thrown ${typeof error}`, message: String(error) };
}

export function caught(call: () => unknown): Caught {
  try {
    call();
  } catch (error) {
    return toCaught(error);
  }
  return { name: 'no error', message: '' };
}

/** As caught, for a call that returns a promise; a synchronous throw counts as well (and is named so). */
export async function caughtAsync(call: () => Promise<unknown>): Promise<Caught> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    const c = toCaught(error);
    return { name: `${c.name} (thrown synchronously, not a rejection)`, message: c.message };
  }
  try {
    await promise;
  } catch (error) {
    return toCaught(error);
  }
  return { name: 'no error', message: '' };
}

/** Asserts the call failed with exactly this class and a message matching every pattern. */
export function expectError(got: Caught, name: 'TypeError' | 'RangeError' | 'Error', ...patterns: RegExp[]): void {
  for (const pattern of patterns) expect(got).toEqual({ name, message: expect.stringMatching(pattern) });
}
