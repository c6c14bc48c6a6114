// Electron's security checklist, item by item, checked against the real main-process code with a recording
// stand-in for the electron module (no Electron binary can be installed on CI machines).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'eodn-electron-'));
const rec = vi.hoisted(() => ({
  windows: [] as { options: Record<string, any>; handlers: Record<string, (...a: any[]) => any>; openHandler?: (d: unknown) => unknown; loaded?: string; mainFrame: any }[],
  ipc: {} as Record<string, (...a: any[]) => any>,
  schemes: [] as any[],
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
    loadFile = async (file: string) => {
      rec.windows[rec.windows.length - 1].loaded = file;
      rec.windows[rec.windows.length - 1].mainFrame.url = 'file://' + file;
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
      registerSchemesAsPrivileged: (s: any[]) => rec.schemes.push(...s),
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
afterAll(() => fs.rmSync(userData, { recursive: true, force: true }));

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

  it('loads only local content', () => {
    expect(rec.windows[0].loaded).toMatch(/dist[\\/]renderer[\\/]index\.html$/);
  });

  it('denies new windows and navigation away from the app', () => {
    const win = rec.windows[0];
    expect(win.openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const away = { preventDefault: vi.fn() };
    win.handlers['will-navigate'](away, 'https://example.com/');
    expect(away.preventDefault).toHaveBeenCalled();
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
    expect(rec.schemes[0]).toMatchObject({ scheme: 'eodn-audio', privileges: { standard: true, secure: true } });
    expect((await handle(new Request('eodn-audio://clip/1'))).status).toBe(200);
    expect(await (await handle(new Request('eodn-audio://clip/1'))).text()).toMatch(/^fetched file:.*\.wav$/);
    expect((await handle(new Request('eodn-audio://clip/999999'))).status).toBe(404);
    expect((await handle(new Request('eodn-audio://clip/..%2F..%2Fetc%2Fpasswd'))).status).toBe(400);
    expect((await handle(new Request('eodn-audio://file/etc/passwd'))).status).toBe(400);
  });
});
