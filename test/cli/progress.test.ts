// Progress output: a live bar (cursor movement, ETA) on a terminal; plain lines everywhere else.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createProgress } from '../../src/cli/progress.js';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const s = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(s, { isTTY, columns: 120, text: () => chunks.join('') });
  return s;
}

describe('progress', () => {
  it('prints about ten plain lines, the last epoch included, when not on a terminal', () => {
    const out = stream(false);
    const progress = createProgress(25, out);
    for (let epoch = 1; epoch <= 25; epoch++) progress.update({ epoch, loss: 1 / epoch, valLoss: 2 / epoch, valAccuracy: epoch / 25 });
    progress.stop();
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 25].map((e) =>
      `epoch ${String(e).padStart(2)}/25  loss ${Number((1 / e).toPrecision(4))}  val loss ${Number((2 / e).toPrecision(4))}  val accuracy ${((e / 25) * 100).toFixed(1)}%`));
    expect(out.text()).not.toMatch(/[\r\x1b]/);
  });

  it('still reports the last epoch when training stops early', () => {
    const out = stream(false);
    const progress = createProgress(100, out);
    for (let epoch = 1; epoch <= 13; epoch++) progress.update({ epoch, loss: 0.5 });
    progress.stop();
    expect(out.text()).toBe('epoch  10/100  loss 0.5\nepoch  13/100  loss 0.5\n');
  });

  it('draws a bar with epoch, loss, validation and ETA on a terminal', () => {
    const out = stream(true);
    const progress = createProgress(10, out);
    for (let epoch = 1; epoch <= 10; epoch++) progress.update({ epoch, loss: 0.25, valLoss: 0.5 });
    progress.stop();
    const text = out.text();
    expect(text).toContain('\x1b[');
    expect(text).toMatch(/epoch 10\/10 █{24} loss 0\.25 {2}val loss 0\.5 {2}ETA \S+/);
  });
});
