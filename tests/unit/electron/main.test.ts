// Electron's security checklist, item by item, checked against the real main-process code with a recording
// stand-in for the electron module (no Electron binary can be installed on CI machines).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { appProtocolHandler, isAppUrl } from '../../../src-main/electron/app-protocol';

const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'eodn-electron-'));
// Not there yet: the studio creates it on first start.
const userData = path.join(parent, 'userData');
const rec = vi.hoisted(() => ({
  windows: [] as { options: Record<string, any>; handlers: Record<string, (...a: any[]) => any>; openHandler?: (d: unknown) => unknown; loaded?: string; mainFrame: any }[],
  ipc: {} as Record<string, (...a: any[]) => any>,
  schemes: [] as any[],
  schemeCalls: 0,
  protocols: {} as Record<string, (req: Request) => Promise<Response>>,
  permissionRequest: undefined as undefined | ((wc: unknown, perm: string, cb: (ok: boolean) => void) => void),
  permissionCheck: undefined as undefined | ((...a: unknown[]) => boolean),
  sandboxEnabled: false,
  appHandlers: {} as Record<string, (...a: any[]) => any>,
  ready: null as null | Promise<void>,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => rec.windows;
    webContents: any;
    constructor(options: Record<string, unknown>) {
      const entry = { options, handlers: {} as Record<string, (...a: any[]) => any>, mainFrame: { url: '' } as any, openHandler: undefined as any, loaded: undefined as any };
      rec.windows.push(entry);
      this.webContents = {
        setWindowOpenHandler: (h: any) => (entry.openHandler = h),
        on: (name: string, h: any) => (entry.handlers[name] = h),
        send: () => {},
        mainFrame: entry.mainFrame,
      };
    }
    isDestroyed = () => false;
    on = () => {};
    loadFile = async () => {
      throw new Error('the studio loads app://studio, never a file');
    };
    loadURL = async (url: string) => {
      rec.windows[rec.windows.length - 1].loaded = url;
      rec.windows[rec.windows.length - 1].mainFrame.url = url;
    };
  }
  let resolveReady!: () => void;
  rec.ready = new Promise<void>((r) => (resolveReady = r));
  return {
    app: {
      enableSandbox: () => (rec.sandboxEnabled = true),
      whenReady: () => Promise.resolve().then(() => setTimeout(resolveReady, 50)),
      getPath: () => userData,
      getVersion: () => '0.0.0-test',
      on: (name: string, h: any) => (rec.appHandlers[name] = h),
      quit: () => {},
    },
    BrowserWindow,
    ipcMain: { handle: (ch: string, h: any) => (rec.ipc[ch] = h) },
    protocol: {
      registerSchemesAsPrivileged: (s: any[]) => (rec.schemeCalls++, rec.schemes.push(...s)),
      handle: (scheme: string, h: any) => (rec.protocols[scheme] = h),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: any) => (rec.permissionRequest = h),
        setPermissionCheckHandler: (h: any) => (rec.permissionCheck = h),
      },
    },
    net: { fetch: async (url: string) => new Response(`fetched ${url}`) },
    dialog: { showErrorBox: vi.fn() },
  };
});

beforeAll(async () => {
  await import('../../../src-main/electron/main');
  await rec.ready;
  await vi.waitFor(() => expect(rec.windows[0]?.loaded).toBeTruthy(), { timeout: 30_000 });
}, 60_000);
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

describe('Electron security checklist', () => {
  it('turns on context isolation and the sandbox, keeps Node out of the renderer, keeps webSecurity', () => {
    const prefs = rec.windows[0].options.webPreferences;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(rec.sandboxEnabled).toBe(true);
    expect(prefs.preload).toMatch(/preload\.cjs$/);
  });

  it('loads the renderer from its own privileged app:// origin, not file://', () => {
    expect(rec.windows[0].loaded).toBe('app://studio/index.html');
    expect(rec.schemeCalls).toBe(1); // Electron takes one registration, before ready
    expect(rec.schemes.map((s) => s.scheme)).toEqual(['app', 'eodn-audio']);
    expect(rec.schemes[0].privileges).toEqual({ standard: true, secure: true, supportFetchAPI: true });
    expect(rec.schemes[0].privileges.bypassCSP).toBeUndefined();
    expect(typeof rec.protocols.app).toBe('function');
  });

  it('serves only files of the built renderer folder on app://, with the CSP on the page', async () => {
    const root = path.join(parent, 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>studio</title>');
    fs.writeFileSync(path.join(root, 'assets', 'index.js'), 'export {}');
    fs.writeFileSync(path.join(parent, 'secret.txt'), 'secret');
    const serve = appProtocolHandler(root);

    const page = await serve(new Request('app://studio/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>studio</title>');
    expect((await serve(new Request('app://studio/'))).status).toBe(200);
    const js = await serve(new Request('app://studio/assets/index.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');

    for (const url of [
      'app://studio/../secret.txt',
      'app://studio/..%2Fsecret.txt',
      'app://studio/%2e%2e/secret.txt',
      'app://studio/assets/..%2F..%2Fsecret.txt',
      'app://studio/..%5Csecret.txt',
      'app://studio/%00',
      'app://studio/%',
      'app://studio/assets',
      'app://studio/missing.js',
      'app://other/index.html',
      'app://studio.evil/index.html',
    ]) {
      const res = await serve(new Request(url));
      expect([400, 404], url).toContain(res.status);
      const body = await res.text();
      expect(body, url).not.toContain('secret');
      expect(body, url).not.toContain(parent);
    }
    expect((await serve(new Request('app://studio/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('denies new windows and navigation away from the app origin', () => {
    const win = rec.windows[0];
    expect(win.openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    for (const url of ['https://example.com/', 'file:///etc/passwd', `file://${path.join(parent, 'renderer', 'index.html')}`, 'app://other/index.html', 'eodn-audio://clip/1', 'javascript:alert(1)']) {
      const away = { preventDefault: vi.fn() };
      win.handlers['will-navigate'](away, url);
      expect(away.preventDefault, url).toHaveBeenCalled();
    }
    const reload = { preventDefault: vi.fn() };
    win.handlers['will-navigate'](reload, 'app://studio/index.html#review');
    expect(reload.preventDefault).not.toHaveBeenCalled();
    expect(isAppUrl('app://studio/index.html')).toBe(true);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('creates the data folder readable by this user only (0700)', () => {
    if (process.platform === 'win32') return;
    expect(fs.statSync(userData).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(userData, 'projects')).mode & 0o777).toBe(0o700);
  });

  it('denies permission requests and checks by default', () => {
    const cb = vi.fn();
    rec.permissionRequest!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(rec.permissionCheck!({}, 'geolocation')).toBe(false);
  });

  it('blocks <webview> attachment', () => {
    const handlers: Record<string, any> = {};
    rec.appHandlers['web-contents-created']({}, { on: (n: string, h: any) => (handlers[n] = h) });
    const e = { preventDefault: vi.fn() };
    handlers['will-attach-webview'](e);
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it("answers IPC only from the app's own main frame, and validates arguments", async () => {
    const call = rec.ipc['studio:call'];
    const win = rec.windows[0];
    const ours = { sender: { mainFrame: win.mainFrame }, senderFrame: win.mainFrame };
    const ok = await call(ours, 'app.info', {});
    expect(ok.ok).toBe(true);
    expect(ok.result.transport).toBe('electron');

    expect(win.mainFrame.url).toBe('app://studio/index.html');
    const iframe = { url: win.mainFrame.url };
    expect((await call({ sender: { mainFrame: win.mainFrame }, senderFrame: iframe }, 'app.info', {})).ok).toBe(false);
    const foreign = { url: 'https://evil.example/' };
    expect((await call({ sender: { mainFrame: foreign }, senderFrame: foreign }, 'app.info', {})).error.message).toBe('untrusted sender');

    const bad = await call(ours, 'clips.get', { id: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const unknown = await call(ours, 'shell.openExternal', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('serves audio only by clip id of the open project', async () => {
    const handle = rec.protocols['eodn-audio'];
    expect(rec.schemes[1]).toMatchObject({ scheme: 'eodn-audio', privileges: { standard: true, secure: true, corsEnabled: true, stream: true } });
    const ok = await handle(new Request('eodn-audio://clip/1'));
    expect(ok.status).toBe(200);
    // The page (app://studio) is another origin: wavesurfer's fetch needs the audio to name it, and only it.
    expect(ok.headers.get('access-control-allow-origin')).toBe('app://studio');
    expect(await (await handle(new Request('eodn-audio://clip/1'))).text()).toMatch(/^fetched file:.*\.wav$/);
    expect((await handle(new Request('eodn-audio://clip/999999'))).status).toBe(404);
    expect((await handle(new Request('eodn-audio://clip/..%2F..%2Fetc%2Fpasswd'))).status).toBe(400);
    expect((await handle(new Request('eodn-audio://file/etc/passwd'))).status).toBe(400);
  });
});
