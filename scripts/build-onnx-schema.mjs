// Rebuilds dist/onnx/schema.js with the ONNX schema (onnx-proto, and the protobufjs runtime it needs)
// inside it. Both are CommonJS: a browser loading dist/ as plain ES modules cannot run them, and a page
// would have to map their bare names to something. Bundled, dist/ imports nothing but itself, so the
// same files work in Node, in a page, and in any bundler. tsc's schema.d.ts stays as it is.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  entryPoints: [`${root}src/onnx/schema.ts`],
  outfile: `${root}dist/onnx/schema.js`,
  allowOverwrite: true,
  bundle: true,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'es2020',
  sourcemap: true,
  banner: {
    js: '// Built by scripts/build-onnx-schema.mjs from src/onnx/schema.ts, with onnx-proto (MIT, Christoph Koerner)\n' +
      '// and protobufjs/minimal (BSD-3-Clause, Daniel Wirtz) inside it.',
  },
  logLevel: 'warning',
});
