// The independent implementation the ONNX tests compare against: ONNX Runtime's CPU build, and a
// seeded source of test inputs.
import ort from 'onnxruntime-node';

/**
 * Runs an ONNX model's bytes in ONNX Runtime on flat rows, fed as [rows, ...sampleShape] (default
 * [rows, width]) to the model's one input; one output row per input row.
 */
export async function runInOrt(bytes: Uint8Array, rows: readonly number[][], sampleShape = [rows[0].length]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feed = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, ...sampleShape]);
    const result = await session.run({ [session.inputNames[0]]: feed });
    const output = result[session.outputNames[0]];
    const data = output.data as Float32Array;
    const units = data.length / rows.length;
    return rows.map((_, r) => data.slice(r * units, (r + 1) * units));
  } finally {
    await session.release();
  }
}

/** Largest |a − b| over two lists of rows, and where it is, for failure messages. */
export function largestDifference(a: readonly Float32Array[], b: readonly Float32Array[]): { diff: number; at: string } {
  let diff = 0;
  let at = 'nowhere';
  a.forEach((row, r) => {
    if (row.length !== b[r].length) throw new Error(`row ${r}: ${row.length} values vs ${b[r].length}`);
    row.forEach((v, c) => {
      const d = Math.abs(v - b[r][c]);
      if (!(d <= diff)) {
        diff = d;
        at = `row ${r}, output ${c}: ${v} vs ${b[r][c]}`;
      }
    });
  });
  return { diff, at };
}

/** `count` rows of `width` values in [−scale, scale), from a fixed seed (mulberry32). */
export function randomRows(seed: number, count: number, width: number, scale = 3): number[][] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Array.from({ length: width }, () => (2 * next() - 1) * scale));
}
