// Everything that crosses between the renderer and main, named once: the IPC channels and the preload bridge of
// Electron, the app:// page origin and the audio scheme, browser mode's HTTP paths, token header and cookie, and
// the reply envelope both transports send. Main (src-main/electron, src-main/browser-mode), the CSP
// (shared/csp.ts) and the renderer's client (src-renderer/lib/api-client.ts) read these names from here.
// Type-only imports: the sandboxed preload bundles this file, and must not pull in the schemas.
import type { ApiErrorBody, ApiErrorCode } from './api';

/** Electron's IPC channels. Renderer → main: `call` (invoke: method, args → Reply). Main → renderer: `event`
 * (StudioEvents name, payload). Nothing else crosses. */
export const IPC_CHANNELS = {
  call: 'studio:call',
  event: 'studio:event',
} as const;
export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/** The name under which the preload exposes its bridge on `window` (see PreloadBridge). */
export const PRELOAD_BRIDGE = 'eodnBridge';

/** The bridge the preload exposes: `call` and `on`, nothing of Node or Electron. */
export interface PreloadBridge {
  call(method: string, args: unknown): Promise<Reply>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The renderer's own origin in Electron, app://studio (served from the built renderer folder, never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Electron's audio scheme: eodn-audio://clip/<id>, a clip of the open project by id only. */
export const AUDIO_SCHEME = 'eodn-audio';
export const AUDIO_HOST = 'clip';
export const audioSchemeUrl = (clipId: number): string => `${AUDIO_SCHEME}://${AUDIO_HOST}/${clipId}`;

/** Browser mode's routes on its loopback server (everything else is the built renderer). */
export const HTTP_PATHS = {
  /** POST /api/<method>, JSON arguments in the body; answers a Reply (success) or an ApiErrorBody with a status. */
  api: '/api/',
  /** Server-sent events, one SSE event per StudioEvents name. */
  events: '/events',
  /** GET /audio/<id>: a clip's audio file, by id only. */
  audio: '/audio/',
  /** GET: the token for the API header (a SessionReply), same origin only. */
  session: '/session',
} as const;
export const apiPath = (method: string): string => `${HTTP_PATHS.api}${method}`;
export const audioPath = (clipId: number): string => `${HTTP_PATHS.audio}${clipId}`;

/** Browser mode's per-launch token: in this header on every API call, in the launch URL's query once, then in
 * an HttpOnly cookie named per port (cookies ignore ports: one name per server keeps two studios apart). */
export const TOKEN_HEADER = 'x-eodn-token';
export const TOKEN_QUERY = 'token';
export const TOKEN_COOKIE = 'eodn_token';
export const tokenCookieName = (port: number): string => `${TOKEN_COOKIE}_${port}`;

/** What GET /session answers. */
export interface SessionReply {
  token: string;
}

/** A call's answer: the method's result, or the typed error (Electron's IPC sends both shapes; browser mode sends
 * the success shape, and an error as its ApiErrorBody under the HTTP status of its code). */
export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

export const okReply = <T>(result: T): Reply<T> => ({ ok: true, result });
export const errorReply = (error: ApiErrorBody): Reply<never> => ({ ok: false, error: { code: error.code, message: error.message } });

/** Browser mode's HTTP status for each error code. */
export const HTTP_STATUS_OF: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  'not-found': 404,
  'no-project': 409,
  conflict: 409,
  internal: 500,
};
