// The foundation's promise, end to end: the studio starts on the demo project, the library shows its real
// clips, a clip plays; and browser mode refuses requests without the launch token, from other origins or hosts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { SCREENSHOT_DIR, launchChromium, startStudio, watchConsole, type RunningStudio } from './studio';

let studio: RunningStudio;
let browser: Browser;

beforeAll(async () => {
  studio = await startStudio();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

describe('the demo project in the browser', () => {
  it('opens on the demo project, lists its clips and plays one', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    const problems = watchConsole(page);
    await page.goto(studio.url);
    await expect.poll(() => page.getByTestId('project-name').textContent()).toContain('EmoDB demo');
    await expect.poll(() => page.getByTestId('clip-count').textContent()).toContain('80 of 80 clips');

    const rows = page.locator('[role="option"][data-clip-id]');
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    const firstName = await rows.first().locator('.name').textContent();
    expect(firstName).toMatch(/^1[35]a\d\d[WLEAFTN][a-z]\.wav$/); // a real EmoDB clip from speaker 13 or 15

    await rows.nth(2).click();
    const wave = page.getByTestId('waveform');
    await expect.poll(() => wave.getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await page.getByTestId('play').click();
    await expect.poll(async () => Number((await page.getByTestId('time').textContent())!.split('/')[0]), { timeout: 10_000 }).toBeGreaterThan(0.2);
    await page.getByTestId('play').click(); // pause

    // Filtering by label narrows the list to that label's clips.
    await page.getByLabel('Filter by label').selectOption('anger');
    await expect.poll(() => page.getByTestId('clip-count').textContent()).toContain('12 of 80 clips');
    await page.getByLabel('Filter by label').selectOption('');
    await rows.nth(2).click();
    await expect.poll(() => wave.getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'library.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('J and K move through the list and Space plays', async () => {
    const page = await browser.newPage();
    await page.goto(studio.url);
    await expect.poll(() => page.locator('[role="option"][data-clip-id]').count()).toBeGreaterThan(5);
    await page.keyboard.press('j');
    await expect.poll(() => page.getByTestId('clip-title').textContent()).toMatch(/\.wav$/);
    const first = await page.getByTestId('clip-title').textContent();
    await page.keyboard.press('j');
    await expect.poll(() => page.getByTestId('clip-title').textContent()).not.toBe(first);
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('clip-title').textContent()).toBe(first);
    await expect.poll(() => page.getByTestId('waveform').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('play').textContent(), { timeout: 10_000 }).toContain('Pause');
    await page.close();
  });
});

describe('browser mode guards', () => {
  const api = (method: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${studio.origin}/api/${method}`, { method: 'POST', body: '{}', ...init });
  const good = () => ({ 'content-type': 'application/json', origin: studio.origin, 'x-eodn-token': studio.token });

  it('answers a well-formed call', async () => {
    const res = await api('app.info', { headers: good() });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { transport: string } }).result.transport).toBe('browser');
  });

  it('refuses a call without the token', async () => {
    const { 'x-eodn-token': _, ...noToken } = good();
    expect((await api('app.info', { headers: noToken })).status).toBe(403);
    expect((await api('app.info', { headers: { ...good(), 'x-eodn-token': 'x'.repeat(32) } })).status).toBe(403);
  });

  it('refuses another origin', async () => {
    expect((await api('app.info', { headers: { ...good(), origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('refuses another Host (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${studio.origin}/api/app.info`, { method: 'POST', headers: { ...good(), host: 'evil.example' } }, (res) => resolve(res.statusCode!));
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('validates arguments and unknown methods with typed errors', async () => {
    const bad = await api('clips.get', { headers: good(), body: JSON.stringify({ id: -3 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('bad-request');
    const extra = await api('clips.list', { headers: good(), body: JSON.stringify({ offset: 0, limit: 10, sneaky: 1 }) });
    expect(extra.status).toBe(400);
    expect((await api('fs.readFile', { headers: good() })).status).toBe(400);
    const huge = await api('clips.list', { headers: good(), body: JSON.stringify({ offset: 0, limit: 10, pad: 'x'.repeat(2_000_000) }) });
    expect(huge.status).toBe(413);
  });

  it('serves audio only for clips of the open project, by id', async () => {
    const cookie = { 'x-eodn-token': studio.token };
    expect((await fetch(`${studio.origin}/audio/1`, { headers: cookie })).status).toBe(200);
    const range = await fetch(`${studio.origin}/audio/1`, { headers: { ...cookie, range: 'bytes=0-43' } });
    expect(range.status).toBe(206);
    expect((await range.arrayBuffer()).byteLength).toBe(44);
    expect((await fetch(`${studio.origin}/audio/999999`, { headers: cookie })).status).toBe(404);
    expect((await fetch(`${studio.origin}/audio/..%2F..%2Fetc%2Fpasswd`, { headers: cookie })).status).toBe(400);
    expect((await fetch(`${studio.origin}/audio/1`)).status).toBe(403);
  });

  it('sends a strict Content-Security-Policy with the page, as a header and a meta tag', async () => {
    const res = await fetch(`${studio.origin}/`, { headers: { 'x-eodn-token': studio.token } });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    expect(await res.text()).toContain('http-equiv="Content-Security-Policy"');
  });

  it('needs the token for the page itself', async () => {
    expect((await fetch(`${studio.origin}/`)).status).toBe(403);
    const launch = await fetch(studio.url, { redirect: 'manual' });
    expect(launch.status).toBe(303);
    expect(launch.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });
});
