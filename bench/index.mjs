// @ts-check
// `npm run bench`: every question in one process, against what ships in dist/ (run `npm run build`
// first; the bench builds nothing), then the targets as a headline table, all written to
// bench/RESULTS.md and printed; the headline table also goes into the README, between its markers.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machineInfo, machineMarkdown } from './lib/machine.mjs';
import { markdownTable, verdict } from './lib/format.mjs';

if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) {
  console.error('dist/ is missing: run `npm run build` first (the bench measures what ships, and builds nothing).');
  process.exit(1);
}

/** Question files, in the order they run and are reported. */
const QUESTIONS = ['gemm', 'drift', 'activations', 'training', 'worked-example', 'predict', 'memory', 'relaxed'];

const started = Date.now();
const machine = machineInfo();
/** @type {import('./lib/main.mjs').Section[]} */
const sections = [];
for (const name of QUESTIONS) {
  console.error(`\n# ${name}`);
  const { run } = await import(`./${name}.mjs`);
  sections.push(await run());
}
const minutes = ((Date.now() - started) / 60000).toFixed(1);
const loadAfter = machineInfo().load;

const targets = sections.flatMap((s) => s.targets).sort((a, b) => a.id.localeCompare(b.id));
const headline = markdownTable(['#', 'target (issue 3)', 'measured in this run', 'verdict'],
  targets.map((t) => [t.id, t.target, t.measured, t.ok === undefined ? 'not measured' : verdict(t.ok)]), ['l', 'l', 'l', 'l']);

const report = [
  '# engram benchmarks',
  '',
  `Written by \`npm run bench\` (bench/index.mjs) on ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC in ${minutes} min. ` +
    'All numbers come from this one run: every question runs its systems interleaved in one process (rounds in rotating order), ' +
    'and every ratio is of medians from that run. Ratios read "how many times faster engram-wasm is" unless a column says otherwise.',
  '',
  '## Headline: the targets of issue 3',
  '',
  headline,
  '',
  '## Machine',
  '',
  machineMarkdown(machine),
  '',
  `Load average at the end: ${loadAfter}. On a shared machine the medians move from run to run; the ratios, taken from interleaved runs, move less.`,
  ...sections.flatMap((s) => ['', `## ${s.title}`, '', s.markdown]),
  '',
].join('\n');

writeFileSync(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), report);
console.log(report);
console.error(`bench/RESULTS.md written (${minutes} min)`);

// The README shows the same headline table between two markers; each run rewrites what lies between.
const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const [open, close] = ['<!-- bench:headline -->', '<!-- /bench:headline -->'];
const text = readFileSync(readme, 'utf8');
const [from, to] = [text.indexOf(open), text.indexOf(close)];
if (from >= 0 && to > from) {
  const when = new Date(started).toISOString().slice(0, 10);
  const table = `${headline}

Measured by \`npm run bench\` on ${when}, ${machine.cpu}, Node ${machine.node}, ` +
    `load average ${machine.load} at the start; every system and every figure in one interleaved run (bench/RESULTS.md).`;
  writeFileSync(readme, `${text.slice(0, from + open.length)}\n${table}\n${text.slice(to)}`);
  console.error('README.md headline table updated');
}
