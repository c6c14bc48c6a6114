import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { CONTENT_SECURITY_POLICY } from './shared/csp';

// The renderer is a static bundle with relative asset paths, so Electron can serve it as app://studio and
// browser mode from the loopback server alike.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [
    svelte(),
    {
      // The same policy both transports send as a header, as a meta tag in the page too.
      name: 'eodn-csp',
      transformIndexHtml: (html) =>
        html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.split("; ").filter((d) => !d.startsWith("frame-ancestors")).join("; ")}" />`),
    },
  ],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
  },
});
