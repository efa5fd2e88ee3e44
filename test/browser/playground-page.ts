// The playground page as the browser tests open it: the digits written as `npm run playground` writes
// them, a production build by Vite into a temporary folder, and Vite's preview server in front of it.
// Also the shape of what `window.playground` reports (playground/app.js and its panels).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { writeDigits } from '../../scripts/playground-digits.mjs';

const ROOT = fileURLToPath(new URL('../../playground/', import.meta.url));

export interface PlaygroundPage {
  url: string;
  close(): Promise<void>;
}

/** Builds playground/ and serves the build on a free port of 127.0.0.1. */
export async function servePlayground(): Promise<PlaygroundPage> {
  writeDigits();
  const outDir = mkdtempSync(join(tmpdir(), 'engram-playground-'));
  await build({ root: ROOT, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    root: ROOT,
    logLevel: 'silent',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  return {
    url: server.resolvedUrls!.local[0],
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** What window.playground.state() returns (playground/app.js). */
export interface PlaygroundState {
  dataset?: string;
  backend?: string;
  comparing: boolean;
  running: boolean;
  frames: number;
  epoch: number;
  diverged: boolean;
  curve: { epochs: number[]; losses: number[] };
  speeds: { wasm?: number; js?: number };
  twinLoss?: number;
  lastLoss?: number;
}

/** What window.playground.memory() returns (playground/memory-panel.js). */
export interface MemoryState {
  rule: string;
  noise: number;
  busy: boolean;
  recalledWith?: { rule: string; backend: string };
  flipped: number[];
  results: { steps: number; converged: boolean; pixelsRight: number; exact: boolean }[];
}

/** What window.playground.saliency() returns (playground/saliency-panel.js). */
export interface SaliencyState {
  training: boolean;
  epochs: number;
  accuracy?: number;
  index: number;
  label: number;
  method: string;
  predicted?: number;
  probability?: number;
  drawn: boolean;
}

declare global {
  interface Window {
    playground: {
      state(): PlaygroundState;
      /** Undefined until `ready`: the panels load after the rest of the page. */
      memory(): MemoryState | undefined;
      saliency(): SaliencyState | undefined;
      ready: Promise<void>;
    };
  }
}
