// A model version's encoder in words (Models view), read from the settings it was made with: the bundled
// encoders by name, a manifest encoder by its manifest's file name (the full path in the tooltip).
const BUNDLED: Record<string, string> = {
  'speech-embedding': 'bundled: speech embeddings + acoustic functionals (567-d)',
  'speech-embedding-only': 'bundled: speech embeddings only (192-d)',
  functionals: 'bundled: acoustic functionals only (375-d)',
};

export interface EncoderText {
  text: string;
  /** The manifest's full path, when there is one. */
  title?: string;
}

export function encoderText(settings: Record<string, unknown>): EncoderText {
  const e = settings.encoder as { kind?: unknown; manifestPath?: unknown } | string | undefined;
  const kind = typeof e === 'string' ? e : typeof e?.kind === 'string' ? e.kind : undefined;
  if (kind === 'manifest' && typeof e === 'object' && typeof e.manifestPath === 'string') {
    const file = e.manifestPath.split(/[\\/]/).pop();
    return { text: `ONNX encoder by manifest: ${file}`, title: e.manifestPath };
  }
  if (kind === undefined) return { text: 'not recorded (a version made before encoders were recorded)' };
  return { text: BUNDLED[kind] ?? kind };
}
