// Electron's main process: one window on the built renderer, locked down (context isolation, sandbox, no Node
// in the renderer, no navigation, no new windows, permissions denied), and the StudioService behind IPC.
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiError } from '../../shared/api';
import { openDemoProject } from '../api/demo-project';
import { StudioService } from '../api/studio-service';
import { rendererDir } from '../app/paths';
import { handleAudioProtocol, registerAudioScheme } from './audio-protocol';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';

registerAudioScheme();

const indexFile = path.join(rendererDir(), 'index.html');
const indexUrl = pathToFileURL(indexFile).toString();

function projectArg(): string | undefined {
  const i = process.argv.indexOf('--project');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Only our own page, in its main frame, may call the API. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return !!frame && frame === event.sender.mainFrame && frame.url.split('#')[0] === indexUrl;
}

async function createWindow(service: StudioService): Promise<void> {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'E-ODN Studio',
    backgroundColor: '#14161a',
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (url !== indexUrl) e.preventDefault();
  });
  const off = service.onAny((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event, payload);
  });
  win.on('closed', off);
  await win.loadFile(indexFile);
}

app.enableSandbox();

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const service = new StudioService({ transport: 'electron', dataDir: app.getPath('userData'), version: app.getVersion() });
  const project = projectArg();
  try {
    if (project) service.openProject(project);
    else await openDemoProject(service, app.getPath('userData'));
  } catch (e) {
    // e.g. the project is open in another studio (locked), or is not a project file: say so, then leave.
    dialog.showErrorBox('E-ODN Studio cannot open the project', (e as Error).message);
    app.quit();
    return;
  }

  handleAudioProtocol(service);
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, args: unknown) => {
    if (!trustedSender(event)) return { ok: false, error: { code: 'bad-request', message: 'untrusted sender' } };
    try {
      return { ok: true, result: (await service.dispatch(method, args)) ?? null };
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError('internal', (e as Error).message);
      return { ok: false, error: { code: err.code, message: err.message } };
    }
  });

  await createWindow(service);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(service);
  });
  app.on('window-all-closed', () => {
    if (process.platform === 'darwin') return; // macOS apps stay open without windows
    void service.shutdown().finally(() => app.quit());
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});
