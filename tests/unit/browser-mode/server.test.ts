// Browser mode's loopback server, on its own (a stand-in service: only routing and guards are under test).
// A page on another loopback port gets the token cookie too (SameSite ignores ports), so the page, its assets,
// /events and /audio/<id> refuse what the browser marks as sent by another site (Sec-Fetch-Site same-site or
// cross-site, or a foreign Origin) while the studio's own page (same-origin) and the address bar (none) pass.
// Malformed paths (/%00, /%) are a 400 that names no path of this machine.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api';
import type { StudioService } from '../../../src-main/api/studio-service';
import { startBrowserServer, type BrowserServer } from '../../../src-main/browser-mode/server';
import { REPO, tempDir } from '../store/helpers';

const dir = tempDir('eodn-browser-');
const staticDir = path.join(dir, 'renderer');
const audio = path.join(dir, 'clip.wav');
fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
fs.writeFileSync(path.join(staticDir, 'assets', 'a.js'), 'console.log(1)');
fs.writeFileSync(audio, Buffer.alloc(64, 1));

const service = {
  dispatch: async (method: string) => ({ method }),
  clipAudioPath: (id: number) => {
    if (id === 1) return audio;
    throw new ApiError('not-found', `no clip ${id}`);
  },
  onAny: () => () => {},
} as unknown as StudioService;

let server: BrowserServer;
beforeAll(async () => {
  server = await startBrowserServer({ service, staticDir });
});
afterAll(() => server.close());

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One GET with exactly these headers and this raw path (fetch would normalise it). Streams are cut after the head. */
function get(rawPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method: 'GET', headers }, (res) => {
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        resolve({ status: res.statusCode!, headers: res.headers, body: '' });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ROUTES = ['/', '/index.html', '/assets/a.js', '/events', '/audio/1'];

describe('browser mode refuses requests another site made', () => {
  const token = () => ({ 'x-eodn-token': server.token });

  it.each(ROUTES)('%s: served to the own page, the address bar and tools', async (route) => {
    expect((await get(route, { ...token(), 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await get(route, { ...token(), 'sec-fetch-site': 'none' })).status).toBe(200);
    expect((await get(route, { ...token(), 'sec-fetch-site': 'same-origin', origin: server.origin })).status).toBe(200);
    expect((await get(route, token())).status).toBe(200);
  });

  it.each(ROUTES)('%s: refused with 403 for another port, another site, or a foreign Origin', async (route) => {
    const otherPort = `http://127.0.0.1:${server.port === 65535 ? 1 : server.port + 1}`;
    const variants: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: otherPort },
      { origin: otherPort },
      { origin: `http://localhost:${server.port + 1}` },
      { origin: 'null' },
      { origin: 'http://evil.example' },
    ];
    for (const headers of variants) {
      const res = await get(route, { ...token(), ...headers });
      expect(res.status, `${route} ${JSON.stringify(headers)}`).toBe(403);
      expect(res.body).toBe('cross-site request refused');
    }
  });

  it('still needs the token for the same origin', async () => {
    expect((await get('/audio/1', { 'sec-fetch-site': 'same-origin' })).status).toBe(403);
    expect((await get('/audio/2', { ...token(), 'sec-fetch-site': 'same-origin' })).status).toBe(404);
  });

  it('trades a launch link followed from another page for the cookie, and moves on from a page of its own', async () => {
    const typed = await get(`/?token=${server.token}`, { 'sec-fetch-site': 'none' });
    expect(typed.status).toBe(303);
    expect(typed.headers.location).toBe('/');
    const linked = await get(`/?token=${server.token}`, { 'sec-fetch-site': 'same-site' });
    expect(linked.status).toBe(200);
    expect(String(linked.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(linked.body).toContain('<meta http-equiv="refresh" content="0;url=/">');
    expect(linked.body).not.toContain(server.token);
    expect((await get('/?token=wrong', { 'sec-fetch-site': 'same-site' })).status).toBe(403);
  });
});

describe('malformed paths', () => {
  it.each(['/%00', '/assets/%00.js', '/%', '/%E0%A4%A', '/api/%', '/audio/%'])('%s: 400 or 404, naming no path of this machine', async (raw) => {
    const res = await get(raw, { 'x-eodn-token': server.token });
    expect([400, 404]).toContain(res.status);
    for (const leak of [dir, REPO, staticDir]) expect(res.body).not.toContain(leak);
    expect(res.body).not.toMatch(/\/tmp\/|\/home\/|\/work\//);
  });

  it('keeps traversal out of the renderer folder', async () => {
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    for (const raw of ['/..%2Fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2F..%2Fsecret.txt', '/..%5Csecret.txt']) {
      const res = await get(raw, { 'x-eodn-token': server.token });
      expect(res.status, raw).toBe(404);
      expect(res.body).not.toContain('secret');
    }
  });
});
