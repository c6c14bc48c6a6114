// Browser mode: the same StudioService served on 127.0.0.1 for a browser (machines where no Electron binary
// can be installed, and the end-to-end tests). Thin: it only moves requests and events.
//
// Guards, on every request: Host must be this server's own loopback host:port (DNS rebinding), the per-launch
// token must come with it (a cookie set by the launch URL, or the token header; names in shared/transport.ts), and API calls must come
// from this origin with the token header too (no cross-site request can set it). Every other route (the page,
// its assets, /events, /audio/<id>) refuses what the browser says another site sent — Sec-Fetch-Site
// `same-site` or `cross-site`, or a foreign Origin — because the cookie alone would let a page on another
// loopback port (SameSite ignores ports) play audio and enumerate clip ids. Requests without those headers
// (tools such as curl) still need the token.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { MAX_REQUEST_BYTES, type ApiErrorBody, ApiError } from '../../shared/api';
import type { StudioService } from '../api/studio-service';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { HTTP_PATHS, HTTP_STATUS_OF, TOKEN_COOKIE, TOKEN_HEADER, TOKEN_QUERY, tokenCookieName, type SessionReply } from '../../shared/transport';
import { mimeOf, resolveStaticPath } from '../app/static-files';

export interface BrowserServerOptions {
  service: StudioService;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  /** Defaults to a fresh random token. */
  token?: string;
}

export interface BrowserServer {
  /** Open this URL in a browser: it carries the token once, then a cookie does. */
  launchUrl: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const staticRoot = path.resolve(options.staticDir);
  const sseClients = new Set<http.ServerResponse>();
  let port = 0;
  let cookieName = TOKEN_COOKIE;

  const send = (res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const sendError = (res: http.ServerResponse, status: number, body: ApiErrorBody) => send(res, status, JSON.stringify(body), 'application/json');

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      // Unexpected: logged here, and answered without its message (which may hold paths of this machine).
      console.error('browser mode: request failed:', e);
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: 'internal error' });
      else res.destroy();
    });
  });

  const ownOrigin = (origin: string | undefined) => origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  /** The browser says another site (another loopback port included) made this request. */
  const fromElsewhere = (req: http.IncomingMessage) => {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
    const origin = req.headers.origin;
    return origin !== undefined && !ownOrigin(origin);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 421, 'wrong host');
    const url = new URL(req.url ?? '/', `http://${host}`);

    // The launch URL carries the token once; trade it for an HttpOnly cookie and drop it from the address bar.
    // Knowing the token is the proof here, so a launch link followed from another page works too: it is sent
    // on by a page of this origin (a redirect would keep the other site as the initiator, and be refused below).
    const queryToken = url.searchParams.get(TOKEN_QUERY);
    if (queryToken !== null && req.method === 'GET' && url.pathname === '/') {
      if (!safeEqual(queryToken, token)) return send(res, 403, 'bad token');
      const cookie = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      if (fromElsewhere(req)) {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'set-cookie': cookie,
          'cache-control': 'no-store',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'referrer-policy': 'no-referrer',
        });
        return void res.end('<!doctype html><meta http-equiv="refresh" content="0;url=/"><title>E-ODN Studio</title>');
      }
      res.writeHead(303, { location: '/', 'set-cookie': cookie, 'cache-control': 'no-store' });
      return void res.end();
    }
    const presented = (req.headers[TOKEN_HEADER] as string | undefined) ?? readCookie(req.headers.cookie, cookieName);
    if (!presented || !safeEqual(presented, token)) {
      return send(res, 403, 'This studio session needs its launch URL (with its token). Open the URL printed by `npm start`.');
    }

    if (url.pathname.startsWith(HTTP_PATHS.api)) {
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice(HTTP_PATHS.api.length));
      } catch {
        return sendError(res, 400, { code: 'bad-request', message: 'bad method name' });
      }
      return handleApi(req, res, method);
    }
    if (url.pathname === HTTP_PATHS.session && req.method === 'GET') {
      // Hands the page the token for its API header; a cross-site reader gets neither the cookie nor the body.
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin') return send(res, 403, 'cross-site request refused');
      return send(res, 200, JSON.stringify({ token } satisfies SessionReply), 'application/json');
    }
    if (fromElsewhere(req)) return send(res, 403, 'cross-site request refused');
    if (url.pathname === HTTP_PATHS.events && req.method === 'GET') return handleEvents(req, res);
    if (url.pathname.startsWith(HTTP_PATHS.audio) && req.method === 'GET') return handleAudio(req, res, url.pathname.slice(HTTP_PATHS.audio.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    return serveStatic(res, url.pathname);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendError(res, 405, { code: 'bad-request', message: 'API calls are POST' });
    if (!ownOrigin(req.headers.origin)) {
      return sendError(res, 403, { code: 'bad-request', message: 'cross-origin request refused' });
    }
    const header = req.headers[TOKEN_HEADER];
    if (typeof header !== 'string' || !safeEqual(header, token)) return sendError(res, 403, { code: 'bad-request', message: 'missing API token header' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(res, 415, { code: 'bad-request', message: 'API calls send application/json' });
    }
    let raw: string;
    try {
      raw = await readBody(req, MAX_REQUEST_BYTES);
    } catch (e) {
      return sendError(res, 413, { code: 'bad-request', message: (e as Error).message });
    }
    let args: unknown;
    try {
      args = raw ? JSON.parse(raw) : {};
    } catch {
      return sendError(res, 400, { code: 'bad-request', message: 'body is not JSON' });
    }
    const reply = await options.service.reply(method, args);
    if (reply.ok) send(res, 200, JSON.stringify(reply), 'application/json');
    else sendError(res, HTTP_STATUS_OF[reply.error.code], reply.error);
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    sseClients.add(res);
    req.on('close', () => sseClients.delete(res));
  }

  function handleAudio(req: http.IncomingMessage, res: http.ServerResponse, idText: string): void {
    const clipId = Number(idText);
    if (!Number.isSafeInteger(clipId) || clipId < 1) return send(res, 400, 'bad clip id');
    let file: string;
    try {
      // Only clips of the open project are served: the id is looked up, never a path from the request.
      file = options.service.clipAudioPath(clipId);
    } catch (e) {
      return send(res, e instanceof ApiError && e.code === 'not-found' ? 404 : 409, (e as Error).message);
    }
    serveFile(req, res, file, mimeOf(file));
  }

  function serveStatic(res: http.ServerResponse, pathname: string): void {
    const target = resolveStaticPath(staticRoot, pathname);
    if (!target.ok) return send(res, target.status, target.reason);
    const file = target.file;
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return send(res, 404, 'not found');
      const headers: http.OutgoingHttpHeaders = {
        'content-type': mimeOf(file),
        'content-length': st.size,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      };
      if (file.endsWith('.html')) {
        headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
        headers['x-frame-options'] = 'DENY';
      }
      res.writeHead(200, headers);
      fs.createReadStream(file).pipe(res);
    });
  }

  function serveFile(req: http.IncomingMessage, res: http.ServerResponse, file: string, type: string): void {
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return send(res, 404, `audio file missing: ${path.basename(file)}`);
      const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
      if (range && (range[1] || range[2])) {
        const start = range[1] ? Number(range[1]) : Math.max(0, st.size - Number(range[2]));
        const end = range[1] && range[2] ? Math.min(Number(range[2]), st.size - 1) : st.size - 1;
        if (start > end || start >= st.size) {
          res.writeHead(416, { 'content-range': `bytes */${st.size}` });
          return void res.end();
        }
        res.writeHead(206, {
          'content-type': type,
          'content-length': end - start + 1,
          'content-range': `bytes ${start}-${end}/${st.size}`,
          'accept-ranges': 'bytes',
        });
        fs.createReadStream(file, { start, end }).pipe(res);
        return;
      }
      res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'accept-ranges': 'bytes' });
      fs.createReadStream(file).pipe(res);
    });
  }

  const offEvents = options.service.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of sseClients) client.write(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  cookieName = tokenCookieName(port); // cookies ignore ports: one name per server keeps two studios apart
  const origin = `http://127.0.0.1:${port}`;

  return {
    launchUrl: `${origin}/?${TOKEN_QUERY}=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        offEvents();
        for (const client of sseClients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk); // past the limit: keep draining so the reply can still be sent
    });
    req.on('end', () => (size > limit ? reject(new Error(`request body over ${limit} bytes`)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
