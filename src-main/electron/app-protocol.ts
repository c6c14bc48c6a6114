// app://studio/<path>: the renderer's origin in Electron (the security checklist's "do not use file://"). It
// serves only files under the built renderer folder, through the same path check as browser mode's server
// (src-main/app/static-files.ts: no `..`, no encoded separators or NULs out of the folder), with the page's
// Content-Security-Policy as a header beside the meta tag. Nothing else answers on this scheme.
import { protocol, type CustomScheme } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { mimeOf, resolveStaticPath } from '../app/static-files';
import { APP_HOST, APP_SCHEME } from '../../shared/transport';

/** A standard, secure scheme: relative URLs resolve, 'self' in the CSP means app://studio, fetch works. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };

/** Whether a URL is on the app's own origin (Node's URL gives non-special schemes an opaque origin). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/** The handler for `root` (the built renderer folder), separate from its registration so it can be tested. */
export function appProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const base = path.resolve(root);
  return async (request) => {
    if (!isAppUrl(request.url)) return text(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed');
    const target = resolveStaticPath(base, new URL(request.url).pathname);
    if (!target.ok) return text(target.status, target.reason);
    let body: Buffer;
    try {
      if (!(await fs.promises.stat(target.file)).isFile()) return text(404, 'not found');
      body = await fs.promises.readFile(target.file);
    } catch {
      return text(404, 'not found');
    }
    const headers: Record<string, string> = {
      'content-type': mimeOf(target.file),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    };
    if (target.file.endsWith('.html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** After app 'ready', before the window loads. */
export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(root));
}
