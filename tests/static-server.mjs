// A small static file server for the browser tests, with or without the headers of DIR's
// `_headers` file (as Netlify or Cloudflare Pages send them: cross-origin isolation and the
// Content-Security-Policy); the plain one stands for a host like GitHub Pages.
//   node tests/static-server.mjs DIR [--headers] [--port N]
// prints "listening on http://127.0.0.1:PORT" once ready.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The headers a `_headers` file gives every path (`/*`), as Netlify reads it. */
export function headersFile(root) {
  let text;
  try {
    text = readFileSync(join(root, '_headers'), 'utf8');
  } catch {
    return ISOLATION_HEADERS;
  }
  const found = {};
  let all = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      all = line.trim() === '/*';
      continue;
    }
    const at = line.indexOf(':');
    if (all && at > 0) found[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return found;
}

/**
 * Serves `root`; resolves with the listening server and its URL. With `serviceWorkerInstallMs`,
 * the service worker (coi-serviceworker.min.js fetched as a worker script) takes that long to
 * install, as on a slow or busy phone.
 */
export function startServer({ root, headers = false, port = 0, serviceWorkerInstallMs = 0 }) {
  const base = resolve(root);
  const sent = headers ? headersFile(base) : {};
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      if (serviceWorkerInstallMs > 0 && req.headers['service-worker'] === 'script' && path === '/coi-serviceworker.min.js') {
        const slowInstall = `self.addEventListener('install', (e) => e.waitUntil(new Promise((done) => setTimeout(done, ${serviceWorkerInstallMs}))));`;
        body = Buffer.concat([body, Buffer.from(`\n${slowInstall}\n`)]);
      }
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
        ...sent,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, sent).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      ok({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith('--')) ?? 'dist';
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 ? Number(args[portAt + 1]) : 0;
  const { url } = await startServer({ root, headers: args.includes('--headers'), port });
  console.log(`listening on ${url}`);
}
