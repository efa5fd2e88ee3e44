// Bundles the command line (src/cli/) with the three libraries it uses (csv-parse, cli-progress,
// asciichart) into one file, dist/cli.js, so that installing engram pulls in no dependencies. The
// engram library itself is not bundled again: imports of src/ modules outside src/cli/ become imports
// of their compiled twins beside dist/cli.js (./index.js, ./rng.js), which tsc has just written.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = resolve(root, 'src');
const cliSources = resolve(src, 'cli');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const outfile = resolve(root, 'dist/cli.js');

const libraryFromDist = {
  name: 'engram-library-from-dist',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(dirname(args.importer), args.path);
      if (!args.importer.startsWith(cliSources) || target.startsWith(cliSources)) return undefined;
      return { path: `./${relative(src, target)}`, external: true };
    });
  },
};

await build({
  entryPoints: [resolve(cliSources, 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [libraryFromDist],
  define: { ENGRAM_VERSION: JSON.stringify(pkg.version) },
  // cli-progress is CommonJS and require()s Node built-ins, which an ES module bundle can only do
  // through a require made for it.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __engramCreateRequire } from 'node:module';\nconst require = __engramCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
