// The built renderer as files served by both transports (browser mode's loopback server and Electron's app://
// protocol): one path check, one MIME table. A request path is decoded once; one that does not decode, holds a
// NUL, or resolves outside the renderer folder is refused before the file system is asked anything, so no
// error (and no install path in one) ever comes back from a malformed URL.
import path from 'node:path';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
  '.aifc': 'audio/aiff',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
};

export const mimeOf = (file: string): string => MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

export type StaticPath = { ok: true; file: string } | { ok: false; status: 400 | 404; reason: string };

/**
 * The file under `root` that a URL path names ('/' is index.html), or why there is none: 400 for a path that
 * is not valid percent-encoding or holds a NUL, 404 for one outside `root`. `root` must be absolute.
 */
export function resolveStaticPath(root: string, urlPathname: string): StaticPath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad path' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'bad path' };
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^[/\\]+/, '');
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) return { ok: false, status: 404, reason: 'not found' };
  return { ok: true, file };
}
