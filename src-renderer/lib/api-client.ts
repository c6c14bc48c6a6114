// One client for StudioApi, two transports: Electron's preload bridge when present, else browser mode's
// loopback server (same origin; the launch URL already traded the token for a cookie, and the page fetches
// the token for the API header from /session with that cookie, which the server answers only to its own
// origin, never cross-site).
import { ApiError, type ApiErrorBody, type Method, type MethodArgs, type MethodResult, type StudioApi, type StudioEvent, type StudioEvents } from '../../shared/api';
import { signDecision } from './annotator';
import { apiPath, audioPath, audioSchemeUrl, HTTP_PATHS, PRELOAD_BRIDGE, TOKEN_HEADER, type PreloadBridge, type Reply, type SessionReply } from '../../shared/transport';

/** The bridge the Electron preload exposes on window (src-main/electron/preload.ts), if this is Electron. */
function preloadBridge(): PreloadBridge | undefined {
  return typeof window !== 'undefined' ? (window as unknown as Partial<Record<typeof PRELOAD_BRIDGE, PreloadBridge>>)[PRELOAD_BRIDGE] : undefined;
}

function electronClient(bridge: PreloadBridge): StudioApi {
  return {
    async call<M extends Method>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
      const reply = await bridge.call(method, args);
      if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
      return reply.result as MethodResult<M>;
    },
    on: (event, listener) => bridge.on(event, listener as (p: unknown) => void),
    audioUrl: audioSchemeUrl,
  };
}

async function fetchToken(): Promise<string> {
  // The cookie authenticates this same-origin request; the token it returns goes in every API call's header,
  // which no other site can set.
  const res = await fetch(HTTP_PATHS.session, { credentials: 'same-origin' });
  if (!res.ok) throw new ApiError('bad-request', 'This page needs the launch URL that `npm start` printed.');
  return ((await res.json()) as SessionReply).token;
}

function browserClient(): StudioApi {
  let tokenPromise: Promise<string> | null = null;
  const token = () => (tokenPromise ??= fetchToken());
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  return {
    async call<M extends Method>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
      const res = await fetch(apiPath(method), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: await token() },
        body: JSON.stringify(args ?? {}),
      });
      // Success is a Reply; an error is its ApiErrorBody under the code's HTTP status (shared/transport.ts).
      const body = (await res.json().catch(() => null)) as Extract<Reply, { ok: true }> | ApiErrorBody | null;
      if (!res.ok || !body || !('ok' in body)) {
        const err = body && 'code' in body ? body : { code: 'internal' as const, message: `HTTP ${res.status}` };
        throw new ApiError(err.code, err.message);
      }
      return body.result as MethodResult<M>;
    },
    on<E extends StudioEvent>(event: E, listener: (payload: StudioEvents[E]) => void) {
      source ??= new EventSource(HTTP_PATHS.events, { withCredentials: true });
      let set = listeners.get(event);
      if (!set) {
        const created = new Set<(payload: unknown) => void>();
        listeners.set(event, created);
        source.addEventListener(event, (e) => created.forEach((l) => l(JSON.parse((e as MessageEvent<string>).data))));
        set = created;
      }
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    audioUrl: audioPath,
  };
}

/** Every decision call goes out signed with the annotator's name (lib/annotator.ts). */
function signed(client: StudioApi): StudioApi {
  return { ...client, call: (method, args) => client.call(method, signDecision(method, args)) };
}

const bridge = preloadBridge();
export const api: StudioApi = signed(bridge ? electronClient(bridge) : browserClient());
