// The renderer's Content-Security-Policy, one string for both transports. It reaches the page twice: as a
// meta tag that vite.config.mts writes into the built index.html (without frame-ancestors, which a meta tag
// cannot carry), and as a header on the page's response from Electron's app:// protocol
// (src-main/electron/app-protocol.ts) and from browser mode's server. No remote content:
// everything is 'self' (app://studio in Electron, the loopback origin in browser mode), audio comes from
// the studio's own audio protocol (shared/transport.ts: eodn-audio: in Electron, /audio/<id> in browser mode), blobs are wavesurfer's decoded audio and plotly's images. connect-src allows
// blob: because wavesurfer's spectrogram plugin only takes precomputed data by fetch(url): the clip view hands
// it main's spectrogram of a long file as a blob: URL made in the page (nothing remote).
import { AUDIO_SCHEME } from './transport';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  `media-src 'self' blob: ${AUDIO_SCHEME}:`,
  `connect-src 'self' blob: ${AUDIO_SCHEME}:`,
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
