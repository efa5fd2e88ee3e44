// Bundles the command line (src/cli/main.ts, the library and its three CLI-only libraries) into one
// file, dist/cli.js, so that installing engram pulls in no dependencies.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = new URL('../dist/cli.js', import.meta.url).pathname;

await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  define: { ENGRAM_VERSION: JSON.stringify(pkg.version) },
  // cli-progress is CommonJS and require()s Node built-ins, which an ES module bundle can only do
  // through a require made for it.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __engramCreateRequire } from 'node:module';\nconst require = __engramCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
