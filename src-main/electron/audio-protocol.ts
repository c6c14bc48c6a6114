// eodn-audio://clip/<id>: serves a clip's audio file to the renderer, looked up by id in the open project.
// The request never names a path, so nothing outside the project can be read through it. The page on
// app://studio is another origin, so the scheme is CORS-enabled and answers that origin only (wavesurfer
// fetches the audio; <audio> loads it without CORS).
import { net, protocol, type CustomScheme } from 'electron';
import { pathToFileURL } from 'node:url';
import type { StudioService } from '../api/studio-service';
import { APP_ORIGIN, AUDIO_HOST, AUDIO_SCHEME } from '../../shared/transport';

export const AUDIO_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: AUDIO_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true },
};

export function handleAudioProtocol(service: StudioService): void {
  protocol.handle(AUDIO_SCHEME, async (request) => {
    const url = new URL(request.url);
    const id = Number(url.pathname.replace(/^\//, ''));
    if (url.host !== AUDIO_HOST || !Number.isSafeInteger(id) || id < 1) return new Response('bad audio URL', { status: 400 });
    let file: string;
    try {
      file = service.clipAudioPath(id);
    } catch (e) {
      return new Response((e as Error).message, { status: 404 });
    }
    // net.fetch on file:// streams and honours Range, which seeking in <audio> needs.
    const res = await net.fetch(pathToFileURL(file).toString(), { headers: request.headers });
    const headers = new Headers(res.headers);
    headers.set('access-control-allow-origin', APP_ORIGIN);
    headers.set('vary', 'origin');
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  });
}
