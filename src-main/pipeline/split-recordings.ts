// After an import: each long recording it added (longer than LONG_RECORDING_SEC) is cut into its utterances
// by the VAD, in a worker, and the utterances replace the whole-file clip — nobody reviews or embeds an hour
// of a session as one clip. A recording with no speech found, or one the VAD could not read, stays whole
// and is reported.
import { LONG_RECORDING_SEC } from '../engine/audio/utterances';
import { findUtterancesInWorker } from '../jobs/utterances-host';
import type { ProjectStore } from '../store/project-store';

export interface SplitReport {
  /** Recordings cut into utterances. */
  recordings: number;
  /** Utterance clips added. */
  segments: number;
  /** Recordings kept whole, and why. */
  kept: { file: string; reason: string }[];
}

export interface SplitOptions {
  workerPath: string;
  signal?: AbortSignal;
  onProgress?(p: { done: number; total: number; file: string }): void;
  minSec?: number;
}

export async function splitLongRecordings(store: ProjectStore, clipIds: readonly number[], opts: SplitOptions): Promise<SplitReport> {
  const minSec = opts.minSec ?? LONG_RECORDING_SEC;
  const report: SplitReport = { recordings: 0, segments: 0, kept: [] };
  // Long whole-file clips come from the duration index; an import of 100,000 short clips reads none of them.
  const candidates = new Set(clipIds);
  const long = store.wholeClipIdsLongerThan(minSec).filter((id) => candidates.has(id)).map((id) => store.getClip(id));
  if (!long.length) return report;
  const byPath = new Map(long.map((c) => [c.path, c]));
  const outcomes = await findUtterancesInWorker([...byPath.keys()], {
    workerPath: opts.workerPath,
    signal: opts.signal,
    onFile(path, outcome, done, total) {
      const clip = byPath.get(path)!;
      if (!outcome.ok) report.kept.push({ file: path, reason: `not cut into utterances: ${outcome.error}` });
      else if (!outcome.segments.length) report.kept.push({ file: path, reason: 'no speech found: kept as one clip' });
      else {
        try {
          report.segments += store.replaceWithSegments(clip.id, outcome.segments).length;
          report.recordings++;
        } catch (e) {
          report.kept.push({ file: path, reason: `not cut into utterances: ${(e as Error).message}` });
        }
      }
      opts.onProgress?.({ done, total, file: path });
    },
  });
  for (const path of byPath.keys()) {
    if (!outcomes.has(path) && !opts.signal?.aborted) report.kept.push({ file: path, reason: 'not cut into utterances: the VAD worker stopped before it' });
  }
  return report;
}

/** "1 long recording cut into 39 utterances", or '' when none was cut. */
export function describeSplit(split: SplitReport): string {
  const n = split.recordings;
  return n ? `${n} long recording${n > 1 ? 's' : ''} cut into ${split.segments} utterances` : '';
}
