// What ships for the command line: one bundled file named by package.json's bin, which imports the
// library beside it and nothing from node_modules, so installing engram installs no dependencies.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { CLI, engram } from './run.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('the engram command as shipped', () => {
  it('is package.json\'s bin, an executable script with a node shebang', () => {
    expect(pkg.bin).toEqual({ engram: './dist/cli.js' });
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('imports only Node built-ins and the library beside it', () => {
    const source = readFileSync(CLI, 'utf8');
    const imported = [...source.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1]);
    expect(imported).toContain('./index.js');
    for (const name of imported) expect(name, name).toMatch(/^(node:|\.\/[a-z]+\.js$)/);
    for (const name of imported.filter((n) => n.startsWith('./'))) {
      expect(existsSync(new URL(`../../dist/${name.slice(2)}`, import.meta.url)), name).toBe(true);
    }
    expect(source).not.toMatch(/require\(["'](csv-parse|cli-progress|asciichart|string-width)/);
  });

  it('is not part of the library: dist/index.js does not reach it', () => {
    expect(readFileSync(new URL('../../dist/index.js', import.meta.url), 'utf8')).not.toContain('cli');
    expect(existsSync(new URL('../../dist/cli/', import.meta.url))).toBe(false);
  });

  it('prints its version and its help', () => {
    expect(engram(['--version'], '.').stdout).toBe(`engram ${pkg.version}\n`);
    const help = engram(['--help'], '.');
    expect(help.status).toBe(0);
    for (const command of ['engram train <data.csv> --target <column>', 'engram predict', 'engram evaluate', 'engram info']) {
      expect(help.stdout).toContain(command);
    }
  });
});
