// The renderer's Content-Security-Policy, one string for both transports (Electron's app:// protocol and
// browser mode send it as a header with the page; the page carries it as a meta tag too). No remote content:
// everything is 'self' (app://studio in Electron, the loopback origin in browser mode), audio comes from
// the studio's own audio protocol (eodn-audio: in Electron, /audio/<id> in browser mode), blobs are wavesurfer's decoded audio and plotly's images. connect-src allows
// blob: because wavesurfer's spectrogram plugin only takes precomputed data by fetch(url): the clip view hands
// it main's spectrogram of a long file as a blob: URL made in the page (nothing remote).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "media-src 'self' blob: eodn-audio:",
  "connect-src 'self' blob: eodn-audio:",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
