// Embeds every clip once: vectors come from an on-disk cache under the OS temp folder (keyed by the file's
// SHA-256 and the encoder), and the rest are computed in parallel worker threads (one per core by default),
// or in this thread when `workers` is 0 (tests, tiny datasets).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRoot } from '../app/paths';
import { createEncoder, type EncoderSpec } from '../engine/encoders/create';
import { encoderCacheKey } from '../engine/embed/cache-key';
import { embedBatch } from '../engine/embed/embed-file';
import { FEATURE_DIM } from '../engine/features/extract';
import { startEmbedJob } from '../jobs/embed-host';

export interface EmbedClipsOptions {
  /** Worker threads; 0 embeds in this thread. Default: one per core. */
  workers?: number;
  workerPath?: string;
  /** Cache folder, or null for no cache. Default: <tmp>/eodn-eval-cache. */
  cacheDir?: string | null;
  onProgress?: (done: number, total: number) => void;
}

export interface EmbeddedClips {
  vectors: Float32Array[];
  /** How many came from the cache. */
  cached: number;
  seconds: number;
}

export function defaultCacheDir(): string {
  return join(tmpdir(), 'eodn-eval-cache');
}

/** The bundled worker next to the CLI bundle, else the TypeScript source (tests, development). */
export function defaultEmbedWorkerPath(): string {
  const bundled = join(__dirname, 'embed-worker.cjs');
  if (existsSync(bundled)) return bundled;
  return join(appRoot(), 'src-main', 'jobs', 'embed-worker.ts');
}

/**
 * A hash of the code that computes vectors: the bundled worker when there is one, else the engine's audio,
 * features, encoders and embed sources. A cache keyed on it can never serve vectors from older code.
 */
function codeVersion(workerPath: string): string {
  const h = createHash('sha256');
  if (workerPath.endsWith('.cjs')) h.update(readFileSync(workerPath));
  else {
    const engine = join(appRoot(), 'src-main', 'engine');
    for (const dir of ['audio', 'features', 'encoders', 'embed'])
      for (const f of readdirSync(join(engine, dir), { recursive: true }).map(String).sort())
        if (f.endsWith('.ts')) h.update(f).update(readFileSync(join(engine, dir, f)));
  }
  return h.digest('hex').slice(0, 12);
}

/** A cache key that changes with the encoder's kind, the features' layout and the code itself; for a manifest
 * encoder, with its model file's bytes and the manifest fields that change vectors (engine/embed/cache-key). */
function encoderKey(spec: EncoderSpec, workerPath: string): string {
  const base = spec.kind === 'manifest' ? `manifest-${encoderCacheKey(spec).settingsHash}` : spec.kind;
  return `${base}-f${FEATURE_DIM}-${codeVersion(workerPath)}`;
}

export async function embedClips(paths: readonly string[], spec: EncoderSpec, opts: EmbedClipsOptions = {}): Promise<EmbeddedClips> {
  const t0 = performance.now();
  const cacheDir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
  const workerPath = opts.workerPath ?? defaultEmbedWorkerPath();
  const dir = cacheDir ? join(cacheDir, encoderKey(spec, workerPath)) : null;
  if (dir) mkdirSync(dir, { recursive: true });
  const vectors: (Float32Array | null)[] = new Array(paths.length).fill(null);
  const keys = paths.map((p) => (dir ? join(dir, `${createHash('sha256').update(readFileSync(p)).digest('hex')}.f32`) : null));
  let cached = 0;
  keys.forEach((k, i) => {
    if (k && existsSync(k)) {
      const b = readFileSync(k);
      vectors[i] = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      cached++;
    }
  });
  const todo = paths.map((_, i) => i).filter((i) => !vectors[i]);
  let done = cached;
  opts.onProgress?.(done, paths.length);
  const store = (i: number, v: Float32Array) => {
    vectors[i] = v;
    const k = keys[i];
    if (k) {
      // Write then rename, so a killed run never leaves a truncated vector behind.
      writeFileSync(`${k}.tmp`, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
      renameSync(`${k}.tmp`, k);
    }
    opts.onProgress?.(++done, paths.length);
  };
  const errors: string[] = [];
  const nWorkers = Math.min(opts.workers ?? cpus().length, todo.length);
  if (todo.length && nWorkers <= 0) {
    const encoder = await createEncoder(spec, { threads: 1 });
    try {
      const per = Math.max(8, encoder.preferredBatch ?? 0);
      for (let s = 0; s < todo.length; s += per) {
        const chunk = todo.slice(s, s + per);
        const out = await embedBatch(chunk.map((i) => paths[i]), encoder);
        out.forEach((o, k) => (o.ok ? store(chunk[k], o.result.vector) : errors.push(`${o.file}: ${o.error}`)));
      }
    } finally {
      await encoder.dispose();
    }
  } else if (todo.length) {
    const jobs = Array.from({ length: nWorkers }, (_, w) => {
      const mine = todo.filter((_, k) => k % nWorkers === w);
      return startEmbedJob({
        workerPath,
        encoder: spec,
        threads: 1,
        batchSize: 8,
        items: mine.map((i) => ({ key: String(i), path: paths[i] })),
        onResult: (key, v) => store(Number(key), v),
        onItemError: (_key, path, error) => errors.push(`${path}: ${error}`),
      }).done;
    });
    for (const s of await Promise.all(jobs)) if (s.status === 'failed') errors.push(`embedding worker failed: ${s.error ?? 'unknown error'}`);
  }
  if (errors.length) throw new Error(`${errors.length} clip(s) could not be embedded: ${errors.slice(0, 3).join('; ')}`);
  return { vectors: vectors as Float32Array[], cached, seconds: (performance.now() - t0) / 1000 };
}
