// Test harness: starts the studio in browser mode (as `npm start` does, via `eodn serve`) on a fresh data
// folder, and Debian's Chromium under playwright-core against it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface RunningStudio {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export interface StudioOptions {
  /**
   * The annotator name the data folder starts with (default "annotator", as after a first "Skip", so the
   * studio does not ask); null starts without one, and the studio asks for it when it opens the demo.
   */
  annotator?: string | null;
}

export async function startStudio(extraArgs: string[] = [], opts: StudioOptions = {}): Promise<RunningStudio> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eodn-e2e-'));
  if (opts.annotator !== null) fs.writeFileSync(path.join(dataDir, 'annotator.json'), JSON.stringify({ name: opts.annotator ?? 'annotator' }));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'eodn.cjs'), 'serve', ...extraArgs], {
    env: { ...process.env, EODN_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`studio did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`studio exited with ${code}:\n${out}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDir,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      // plotly's 3-D plot needs WebGL: software rendering, since CI machines have no GPU.
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

/** Collects console errors and CSP violations so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

export const SCREENSHOT_DIR = path.join(ROOT, 'docs', 'screenshots');

/**
 * Starts the page with the Getting-started guide hidden (as after a user's first "Hide"), for tests whose
 * screenshots show a view rather than the guide. Call before page.goto.
 */
export async function hideGettingStarted(page: Page): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('eodn.gettingStarted.hidden.v1', '1'));
}

export interface StudioPage {
  studio: RunningStudio;
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far (CSP violations included). */
  problems: string[];
  /** Saves a screenshot under docs/screenshots. */
  shot(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** A studio on a fresh data folder, Chromium, and one page opened on the launch URL. */
export async function openStudioPage(opts: { hideGuide?: boolean } & StudioOptions = {}): Promise<StudioPage> {
  const studio = await startStudio([], opts);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const problems = watchConsole(page);
  if (opts.hideGuide) await hideGettingStarted(page);
  await page.goto(studio.url);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    studio,
    browser,
    page,
    problems,
    shot: (name) => page.screenshot({ path: path.join(SCREENSHOT_DIR, name) }),
    async close() {
      await browser.close();
      await studio.stop();
    },
  };
}
