// A static file server for browser tests: files under one folder, plus pages given as text, on a free
// port of 127.0.0.1. Enough HTTP for ES modules (the right content types); nothing a real server needs.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

export interface Served {
  /** The server's origin, e.g. http://127.0.0.1:40123 (no trailing slash). */
  origin: string;
  close(): Promise<void>;
}

/** Serves `root`'s files, and `pages` (path → HTML) in front of them; a path ending in / means its index.html. */
export async function serve(root: string, pages: Record<string, string> = {}): Promise<Served> {
  const base = resolve(root);
  const server = createServer(async (request, response) => {
    let path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const page = pages[path];
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': TYPES['.html'] });
      response.end(page);
      return;
    }
    const file = join(base, path);
    if (!file.startsWith(base + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
