// engram export and train --onnx: the ONNX file runs in ONNX Runtime and answers as the model file does,
// from rows encoded with nothing but the preprocessing the ONNX file carries in its metadata.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { Network } from '../../src/index.js';
import { largestDifference, runInOrt } from '../onnx/runtime.js';
import { engram, folder, IRIS } from './run.js';

interface Feature { name: string; kind: 'numeric' | 'categorical'; mean?: number; std?: number; categories?: string[] }

/** The ONNX file's metadata_props as an object. */
function metadataOf(bytes: Uint8Array): Record<string, string> {
  const model = onnxProto.onnx.ModelProto.decode(bytes);
  return Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
}

/** A CSV row as the network's input, from the preprocessing JSON alone (an independent encoder). */
function encode(header: string[], cells: string[], features: Feature[]): number[] {
  return features.flatMap((f) => {
    const cell = cells[header.indexOf(f.name)];
    return f.kind === 'numeric' ? [(Number(cell) - f.mean!) / f.std!] : f.categories!.map((c) => (c === cell ? 1 : 0));
  });
}

function readCsv(text: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = text.trim().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}

describe('engram train --onnx and engram export, on the bundled iris data', () => {
  const tmp = folder({ 'iris.csv': readFileSync(IRIS, 'utf8') });
  let trained: ReturnType<typeof engram>;
  beforeAll(() => {
    trained = engram(['train', 'iris.csv', '--target', 'species', '--epochs', '60', '--out', 'model.json', '--onnx', 'model.onnx'], tmp.dir);
  });
  afterAll(() => tmp.remove());

  it('writes the ONNX file beside the model file and says what its input and output are', () => {
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    expect(trained.stdout).toMatch(/^wrote model\.onnx: ONNX \(IR 8, opset 13\), input "input" float32 \[batch, 4\] → output "output" float32 \[batch, 3\]$/m);
    expect(trained.stdout).toContain('input, in order: sepal_length, sepal_width, petal_length, petal_width');
    expect(trained.stdout).toContain('output: the probability of each class of "species": setosa, versicolor, virginica');
  });

  it('runs in ONNX Runtime on rows encoded from its metadata, giving the model file’s outputs within 1e-5', async () => {
    const bytes = new Uint8Array(readFileSync(join(tmp.dir, 'model.onnx')));
    const meta = metadataOf(bytes);
    expect(meta.loss).toBe('categoricalCrossentropy');
    expect(meta['engram.inputs']).toBe('sepal_length,sepal_width,petal_length,petal_width');
    expect(meta['engram.outputs']).toBe('species=setosa,species=versicolor,species=virginica');
    const { features } = JSON.parse(meta['engram.preprocessing']) as { features: Feature[] };
    const { header, rows } = readCsv(readFileSync(IRIS, 'utf8'));
    const inputs = rows.map((cells) => encode(header, cells, features));

    const model = JSON.parse(readFileSync(join(tmp.dir, 'model.json'), 'utf8'));
    const net = await Network.fromJSON(model.network);
    const { diff, at } = largestDifference(await runInOrt(bytes, inputs), net.predictBatch(inputs));
    expect(diff, at).toBeLessThanOrEqual(1e-5);

    // And the answers are `engram predict`'s.
    const predicted = engram(['predict', 'model.json', 'iris.csv'], tmp.dir);
    const classes = ['setosa', 'versicolor', 'virginica'];
    const fromOnnx = (await runInOrt(bytes, inputs)).map((p) => classes[p.indexOf(Math.max(...p))]);
    const fromCli = readCsv(predicted.stdout).rows.map((cells) => cells[5]);
    expect(fromOnnx).toEqual(fromCli);
  });

  it('export writes the same bytes as train --onnx did', () => {
    const run = engram(['export', 'model.json', '--onnx', 'again.onnx'], tmp.dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^wrote again\.onnx: ONNX/);
    expect(readFileSync(join(tmp.dir, 'again.onnx'))).toEqual(readFileSync(join(tmp.dir, 'model.onnx')));
  });

  it('exports a bare engram network file too', async () => {
    const model = JSON.parse(readFileSync(join(tmp.dir, 'model.json'), 'utf8'));
    const bare = folder({ 'net.json': JSON.stringify(model.network) });
    try {
      const run = engram(['export', 'net.json', '--onnx', 'net.onnx'], bare.dir);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('a bare network file: the input is 4 numbers per row');
      const meta = metadataOf(new Uint8Array(readFileSync(join(bare.dir, 'net.onnx'))));
      expect(Object.keys(meta)).toEqual(['loss']);
    } finally {
      bare.remove();
    }
  });

  it('refuses a missing --onnx, a missing model file and a missing folder with one line each, writing nothing', () => {
    const cases: [string[], number, RegExp][] = [
      [['export', 'model.json'], 2, /^engram: export needs --onnx <file>/],
      [['export', 'nope.json', '--onnx', 'x.onnx'], 1, /^engram: nope\.json: /],
      [['export', 'iris.csv', '--onnx', 'x.onnx'], 1, /^engram: iris\.csv: not a model file/],
      [['export', 'model.json', '--onnx', join('no', 'such', 'x.onnx')], 1, /cannot write: no folder/],
    ];
    const before = tmp.files();
    for (const [args, status, message] of cases) {
      const run = engram(args, tmp.dir);
      expect(run.status, args.join(' ')).toBe(status);
      expect(run.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
      expect(run.stderr, args.join(' ')).toMatch(message);
    }
    expect(tmp.files()).toEqual(before);
    expect(existsSync(join(tmp.dir, 'x.onnx'))).toBe(false);
  });
});

describe('engram export of a regression with a categorical column', () => {
  let state = 777;
  const uniform = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lines = Array.from({ length: 120 }, () => {
    const a = uniform() * 10;
    const colour = ['red', 'green', 'blue'][Math.floor(uniform() * 3)];
    return `${a.toFixed(3)},${colour},${(2 * a + (colour === 'red' ? 5 : 0)).toFixed(3)}`;
  });
  const text = ['a,colour,y', ...lines].join('\n') + '\n';
  const tmp = folder({ 'data.csv': text });
  afterAll(() => tmp.remove());

  it('names the one-hot inputs, and the output is the standardized target that the metadata undoes', async () => {
    const trained = engram(['train', 'data.csv', '--target', 'y', '--layers', '8', '--epochs', '20', '--out', 'm.json', '--onnx', 'm.onnx'], tmp.dir);
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    const bytes = new Uint8Array(readFileSync(join(tmp.dir, 'm.onnx')));
    const meta = metadataOf(bytes);
    expect(meta['engram.inputs']).toBe('a,colour=blue,colour=green,colour=red');
    expect(meta['engram.outputs']).toBe('y');
    const prep = JSON.parse(meta['engram.preprocessing']);
    expect(trained.stdout).toContain(`output: "y" standardized: multiply by ${prep.target.std} and add ${prep.target.mean}`);
    const { header, rows } = readCsv(text);
    const inputs = rows.map((cells) => encode(header, cells, prep.features));
    const net = await Network.fromJSON(JSON.parse(readFileSync(join(tmp.dir, 'm.json'), 'utf8')).network);
    const { diff, at } = largestDifference(await runInOrt(bytes, inputs), net.predictBatch(inputs));
    expect(diff, at).toBeLessThanOrEqual(1e-5);
  });
});
