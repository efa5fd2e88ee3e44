// @ts-check
// What the numbers were measured on: CPU, cores, Node and V8, and how busy the machine was.

import os from 'node:os';
import { readFileSync } from 'node:fs';
import { markdownTable } from './format.mjs';

export function machineInfo() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  let flags = '';
  try {
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpu;
    const f = /flags\s*:\s*(.*)/.exec(cpuinfo)?.[1].split(' ') ?? [];
    flags = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'].filter((x) => f.includes(x)).join(' ');
  } catch {
    // Not Linux: os.cpus() is all there is.
  }
  return {
    cpu,
    mhz: os.cpus()[0]?.speed ?? 0,
    flags,
    cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

/** The machine as a two-column markdown table. */
export function machineMarkdown(info = machineInfo()) {
  return markdownTable(['machine', ''], [
    ['CPU', `${info.cpu}${info.mhz ? ` (${info.mhz} MHz)` : ''}`],
    ['SIMD flags', info.flags || 'n/a'],
    ['cores', info.cores],
    ['memory', info.memory],
    ['Node', `${info.node} (V8 ${info.v8})`],
    ['OS', info.platform],
    ['load average at start (1, 5, 15 min)', info.load],
  ], ['l', 'l']);
}
