// @ts-check
// Reading perf's text output: `perf report --stdio --sort sym` and `perf annotate --stdio`.

/**
 * The symbols of a `perf report --stdio --sort sym`, with their share of all samples in percent.
 * @returns {{ name: string, percent: number }[]}
 */
export function parseReport(/** @type {string} */ text) {
  const symbols = [];
  for (const line of text.split('\n')) {
    const match = /^\s+([0-9.]+)%\s+\[[.k]\]\s+(.*?)\s*$/.exec(line);
    if (match) symbols.push({ name: match[2], percent: Number(match[1]) });
  }
  return symbols;
}

/**
 * @typedef {object} Instruction
 * @property {number} percent the function's samples on it
 * @property {number} address
 * @property {string} op
 * @property {string} operands
 */

/** The instructions of a `perf annotate --stdio` of one function. */
export function parseAnnotate(/** @type {string} */ text) {
  /** @type {Instruction[]} */
  const rows = [];
  for (const line of text.split('\n')) {
    const match = /^\s+([0-9.]+) :\s+([0-9a-f]+):\s+(\S+)\s*(.*)$/.exec(line);
    if (match) rows.push({ percent: Number(match[1]), address: parseInt(match[2], 16), op: match[3], operands: match[4] });
  }
  return rows;
}

/**
 * The loops of a function that hold no other loop, hottest first, with how many vector multiplies
 * (vmulps, or fused vfmadd…ps) each holds. A loop is a backward jump and the code from its target to
 * it; V8 unrolls a hot wasm loop and lays the copies out as one such range.
 * @param {readonly Instruction[]} rows
 * @returns {{ start: number, end: number, percent: number, instructions: number, multiplies: number }[]}
 */
export function innermostLoops(rows) {
  /** @type {[number, number][]} */
  const loops = [];
  for (const row of rows) {
    if (!row.op.startsWith('j')) continue;
    const target = /^([0-9a-f]+)\s/.exec(row.operands);
    if (target && parseInt(target[1], 16) < row.address) loops.push([parseInt(target[1], 16), row.address]);
  }
  const innermost = loops.filter(([start, end]) =>
    !loops.some(([s, e]) => (s !== start || e !== end) && s >= start && e <= end));
  return innermost
    .map(([start, end]) => {
      const body = rows.filter((r) => r.address >= start && r.address <= end);
      return {
        start, end, percent: body.reduce((sum, r) => sum + r.percent, 0), instructions: body.length,
        multiplies: body.filter((r) => /^v(mul|fn?madd\d*)ps$/.test(r.op)).length,
      };
    })
    .sort((a, b) => b.percent - a.percent);
}
