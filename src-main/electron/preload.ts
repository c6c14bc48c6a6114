// The preload: the renderer's only door to main. It exposes two functions and nothing of Node or Electron.
// Sandboxed preloads must be CommonJS with no imports but 'electron' (esbuild bundles this file as CJS).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';

contextBridge.exposeInMainWorld('eodnBridge', {
  call: (method: string, args: unknown) => ipcRenderer.invoke(CALL_CHANNEL, method, args),
  on: (event: string, listener: (payload: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
});
