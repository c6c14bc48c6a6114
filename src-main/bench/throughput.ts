// Embedding throughput of the real pipeline (worker pool, bundled encoder) on a list of files or
// segments: what `eodn embed` and the studio run, minus the cache.
import type { EncoderSpec } from '../engine/encoders/create';
import type { Device } from '../engine/encoders/types';
import { runEmbedPool } from '../jobs/embed-pool';
import type { EmbedJobItem } from '../jobs/protocol';
import { defaultWorkerPath } from '../jobs/worker-path';
import { withPeakRss } from './rss';

export interface ThroughputSetting {
  workers: number;
  threadsPerWorker: number;
  batchSize: number;
  device: Device;
  /** GPU only: false runs everything in one worker instead of the hybrid job (see jobs/embed-hybrid). */
  hybrid?: boolean;
}

export interface ThroughputRow extends ThroughputSetting {
  label: string;
  items: number;
  failed: number;
  audioSec: number;
  /** Wall time including starting the workers and loading the models. */
  wallSec: number;
  realtimeFactor: number;
  /** Slowest worker's model loading, seconds (the pool waits for it before its last results). */
  loadSec: number;
  /** Realtime factor with that loading left out: the rate once the workers run. */
  steadyRealtimeFactor: number;
  clipsPerSec: number;
  peakRssMb: number;
  provider: string | null;
  fallbacks: string[];
  errors: string[];
}

export async function measureThroughput(
  label: string,
  items: readonly EmbedJobItem[],
  setting: ThroughputSetting,
  opts: { encoder?: EncoderSpec; workerPath?: string } = {},
): Promise<ThroughputRow> {
  const { value: s, peakRssMb } = await withPeakRss(() =>
    runEmbedPool({
      workerPath: opts.workerPath ?? defaultWorkerPath(),
      items,
      encoder: opts.encoder ?? { kind: 'speech-embedding' },
      device: setting.device,
      workers: setting.workers,
      threadsPerWorker: setting.threadsPerWorker,
      batchSize: setting.batchSize,
      minItemsPerWorker: 1,
      hybrid: setting.hybrid,
    }),
  );
  return {
    label,
    ...setting,
    workers: s.workers,
    items: items.length,
    failed: s.failed,
    audioSec: s.audioSec,
    wallSec: s.wallSec,
    realtimeFactor: s.realtimeFactor,
    loadSec: Math.max(0, ...s.jobs.map((j) => j.loadSec)),
    steadyRealtimeFactor: s.audioSec / Math.max(1e-9, s.wallSec - Math.max(0, ...s.jobs.map((j) => j.loadSec))),
    clipsPerSec: s.clipsPerSec,
    peakRssMb,
    provider: s.execution?.provider ?? null,
    fallbacks: s.execution?.fallbacks ?? [],
    errors: s.errors,
  };
}
