// Throughput of the embedding pipeline on real files (scripts/bench-embed.mts): clips/s, realtime factor, peak
// memory, and where the time goes (read+decode+resample, encoders). Runs in the calling thread, one batch at a time.
import { readFile } from 'node:fs/promises';
import { createEncoder, type EncoderSpec } from '../engine/encoders/create';
import type { Device } from '../engine/encoders/types';
import { prepareAudio } from '../engine/embed/prepare';

export interface BenchOptions {
  encoder?: EncoderSpec;
  device?: Device;
  threads?: number;
  batchSize?: number;
}

export interface BenchResult {
  clips: number;
  failed: number;
  audioSec: number;
  wallSec: number;
  /** Seconds of audio per second of wall time. */
  realtimeFactor: number;
  clipsPerSec: number;
  peakRssMb: number;
  encoderId: string;
  dim: number;
  provider: string;
  fallbacks: string[];
  /** Wall seconds per stage (model loading excluded from all figures). */
  stages: { prepareSec: number; encodeSec: number };
}

export async function benchEmbedding(files: readonly string[], opts: BenchOptions = {}): Promise<BenchResult> {
  const encoder = await createEncoder(opts.encoder ?? { kind: 'speech-embedding' }, { device: opts.device, threads: opts.threads });
  const batchSize = opts.batchSize ?? 16;
  let peak = process.memoryUsage().rss;
  let audioSec = 0;
  let clips = 0;
  let failed = 0;
  let prepareMs = 0;
  let encodeMs = 0;
  const t0 = performance.now();
  try {
    for (let i = 0; i < files.length; i += batchSize) {
      const tp = performance.now();
      const batch: Float32Array[] = [];
      for (const f of files.slice(i, i + batchSize)) {
        try {
          const a = await prepareAudio(await readFile(f), f, encoder.sampleRate);
          batch.push(a.samples);
          audioSec += a.durationSec;
        } catch {
          failed++;
        }
      }
      const te = performance.now();
      prepareMs += te - tp;
      if (batch.length) await encoder.embed(batch);
      encodeMs += performance.now() - te;
      clips += batch.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  } finally {
    await encoder.dispose();
  }
  const wallSec = (performance.now() - t0) / 1000;
  return {
    clips,
    failed,
    audioSec,
    wallSec,
    realtimeFactor: audioSec / wallSec,
    clipsPerSec: clips / wallSec,
    peakRssMb: peak / 2 ** 20,
    encoderId: encoder.id,
    dim: encoder.dim,
    provider: encoder.execution.provider,
    fallbacks: encoder.execution.fallbacks,
    stages: { prepareSec: prepareMs / 1000, encodeSec: encodeMs / 1000 },
  };
}
