// Electron's main process: one window on the built renderer served as app://studio (not file://), locked down
// (context isolation, sandbox, no Node in the renderer, no navigation off the app's origin, no new windows,
// permissions denied), and the StudioService behind IPC.
import { app, BrowserWindow, dialog, ipcMain, protocol, session, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { APP_INDEX_URL, errorReply, IPC_CHANNELS, type Reply } from '../../shared/transport';
import { openDemoProject } from '../api/demo-project';
import { StudioService } from '../api/studio-service';
import { ensureDataDir, rendererDir } from '../app/paths';
import { APP_SCHEME_PRIVILEGES, handleAppProtocol, isAppUrl } from './app-protocol';
import { AUDIO_SCHEME_PRIVILEGES, handleAudioProtocol } from './audio-protocol';

// Before 'ready', and only once (Electron takes one call): the page's scheme and the audio scheme.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES, AUDIO_SCHEME_PRIVILEGES]);

function projectArg(): string | undefined {
  const i = process.argv.indexOf('--project');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Only our own page, in its main frame, may call the API. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return !!frame && frame === event.sender.mainFrame && frame.url.split('#')[0] === APP_INDEX_URL;
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
  // Only within the app's own origin (a reload, a #fragment); never to another scheme, host or file://.
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  const off = service.onAny((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_CHANNELS.event, event, payload);
  });
  win.on('closed', off);
  await win.loadURL(APP_INDEX_URL);
}

app.enableSandbox();

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  handleAppProtocol(rendererDir());

  // The data folder (projects, caches, the recent list) is this user's only: 0700 when the studio creates it.
  const dataDir = ensureDataDir(app.getPath('userData'));
  const service = new StudioService({ transport: 'electron', dataDir, version: app.getVersion() });
  const project = projectArg();
  try {
    if (project) service.openProject(project);
    else await openDemoProject(service, dataDir);
  } catch (e) {
    // e.g. the project is open in another studio (locked), or is not a project file: say so, then leave.
    dialog.showErrorBox('E-ODN Studio cannot open the project', (e as Error).message);
    app.quit();
    return;
  }

  handleAudioProtocol(service);
  ipcMain.handle(IPC_CHANNELS.call, async (event, method: unknown, args: unknown): Promise<Reply> => {
    if (!trustedSender(event)) return errorReply({ code: 'bad-request', message: 'untrusted sender' });
    return service.reply(method, args);
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
