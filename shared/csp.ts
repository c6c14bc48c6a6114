// The renderer's Content-Security-Policy, one string for both transports (Electron sets it on the page's
// responses; browser mode sends it as a header). No remote content: everything is 'self', audio comes from
// the studio's own audio protocol, blobs are wavesurfer's decoded audio and plotly's images. connect-src allows
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
