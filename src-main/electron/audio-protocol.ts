// eodn-audio://clip/<id>: serves a clip's audio file to the renderer, looked up by id in the open project.
// The request never names a path, so nothing outside the project can be read through it.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import type { StudioService } from '../api/studio-service';
import { AUDIO_SCHEME } from './channels';

/** Must run before app 'ready'. */
export function registerAudioScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: AUDIO_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

export function handleAudioProtocol(service: StudioService): void {
  protocol.handle(AUDIO_SCHEME, async (request) => {
    const url = new URL(request.url);
    const id = Number(url.pathname.replace(/^\//, ''));
    if (url.host !== 'clip' || !Number.isSafeInteger(id) || id < 1) return new Response('bad audio URL', { status: 400 });
    let file: string;
    try {
      file = service.clipAudioPath(id);
    } catch (e) {
      return new Response((e as Error).message, { status: 404 });
    }
    // net.fetch on file:// streams and honours Range, which seeking in <audio> needs.
    return net.fetch(pathToFileURL(file).toString(), { headers: request.headers });
  });
}
