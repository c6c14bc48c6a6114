// Every IPC channel, in one place. Renderer → main: CALL (invoke, StudioApi method + args).
// Main → renderer: EVENT (StudioEvents name + payload). Nothing else crosses.
export const CALL_CHANNEL = 'studio:call';
export const EVENT_CHANNEL = 'studio:event';
export const AUDIO_SCHEME = 'eodn-audio';
