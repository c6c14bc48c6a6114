// Every IPC channel, in one place. Renderer → main: CALL (invoke, StudioApi method + args).
// Main → renderer: EVENT (StudioEvents name + payload). Nothing else crosses.
export const CALL_CHANNEL = 'studio:call';
export const EVENT_CHANNEL = 'studio:event';
export const AUDIO_SCHEME = 'eodn-audio';
/** The renderer's own origin, app://studio (served from the built renderer folder, never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;
