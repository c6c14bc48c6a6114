// The preload: the renderer's only door to main. It exposes two functions and nothing of Node or Electron.
// Sandboxed preloads must be CommonJS with no imports but 'electron' (esbuild bundles this file as CJS, with the
// names from shared/transport.ts inlined).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, PRELOAD_BRIDGE, type PreloadBridge, type Reply } from '../../shared/transport';

contextBridge.exposeInMainWorld(PRELOAD_BRIDGE, {
  call: (method: string, args: unknown) => ipcRenderer.invoke(IPC_CHANNELS.call, method, args) as Promise<Reply>,
  on: (event: string, listener: (payload: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_CHANNELS.event, wrapped);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.event, wrapped);
  },
} satisfies PreloadBridge);
