// Builds the panel preview page (src-renderer/preview.html) with its own small Vite run, serves it on
// 127.0.0.1 with the app's Content-Security-Policy header, opens it in Debian's Chromium (software WebGL for
// plotly) and saves docs/screenshots/decision-panel.png and docs/screenshots/pad-plot.png.
// Fails (exit 1) on a CSP violation, a console error or a PAD plot that did not draw.
//   node scripts/screenshot-panels.mjs [--keep-open]   (--keep-open: leave the server running for a browser)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { tsImport } from 'tsx/esm/api';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist', 'preview');
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const { CONTENT_SECURITY_POLICY } = await tsImport('../shared/csp.ts', import.meta.url);

await build({
  configFile: false,
  root: path.join(ROOT, 'src-renderer'),
  base: './',
  logLevel: 'warn',
  plugins: [svelte({ configFile: path.join(ROOT, 'svelte.config.js') })],
  build: {
    outDir: OUT,
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    rollupOptions: { input: path.join(ROOT, 'src-renderer', 'preview.html') },
  },
});

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const rel = url.pathname === '/' ? 'preview.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
  const file = path.resolve(OUT, rel);
  if (!file.startsWith(OUT + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
console.log(`preview: ${origin}/preview.html`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  // Registered before any page script runs, so a violation during load is caught too.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const notes = [];
  page.on('console', (m) => {
    // Chromium reports CSP violations as console errors too. Warnings are printed, not fatal: swiftshader
    // emits GL performance notes ("GPU stall due to ReadPixels") that say nothing about the page.
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    else if (m.type() === 'warning') notes.push(`console warning: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${origin}/preview.html`);
  await page.waitForSelector('[data-testid="pad-plot"][data-status="ready"]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="pad-plot"] canvas', { timeout: 30_000 });
  await page.waitForTimeout(1500); // let swiftshader finish painting the WebGL scene

  fs.mkdirSync(SHOTS, { recursive: true });
  await page.locator('#decisions').screenshot({ path: path.join(SHOTS, 'decision-panel.png') });
  await page.locator('#pad').screenshot({ path: path.join(SHOTS, 'pad-plot.png') });

  const violations = await page.evaluate(() => window.__cspViolations);
  problems.push(...violations.map((v) => `CSP violation: ${v}`));
  const status = await page.getAttribute('[data-testid="pad-plot"]', 'data-status');
  if (status !== 'ready') problems.push(`PAD plot status: ${status}`);
  for (const n of new Set(notes)) console.log(n);
  console.log(`screenshots: ${path.relative(ROOT, SHOTS)}/decision-panel.png, pad-plot.png`);
} finally {
  await browser.close();
  if (!process.argv.includes('--keep-open')) server.close();
}
if (problems.length) {
  console.error(`problems:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log('CSP: no violations; console: no errors (warnings above, if any, are informational)');
}
