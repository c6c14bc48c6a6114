// The whole evaluation: dataset → features (embedded once) → leave-one-speaker-out folds → report.
import { embedClips, type EmbedClipsOptions } from './embed-clips';
import type { EncoderSpec } from '../engine/encoders/create';
import { aggregate, type EvaluationReport } from './aggregate';
import { loadDataset } from './dataset';
import { encoderReportName } from './encoder-name';
import { evaluateFold, type FoldData, type FoldResult } from './fold';
import { resolveSettings, type EvaluationSettings } from './settings';

export interface RunOptions {
  settings: Partial<EvaluationSettings>;
  encoder: EncoderSpec;
  embed?: EmbedClipsOptions;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

/** Leave-one-speaker-out over rows already embedded. */
export function evaluateRows(data: FoldData, settings: EvaluationSettings, log: (line: string) => void = () => {}): FoldResult[] {
  const speakers = [...new Set(data.speakers)].sort();
  if (speakers.length < 2) throw new Error(`leave-one-speaker-out needs at least 2 speakers (found ${speakers.length})`);
  const missing = settings.unknown.filter((u) => !data.labels.includes(u));
  if (missing.length) throw new Error(`unknown class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')} not in the dataset (labels: ${[...new Set(data.labels)].sort().join(', ')})`);
  const folds: FoldResult[] = [];
  speakers.forEach((spk, k) => {
    const tr: number[] = [];
    const te: number[] = [];
    data.speakers.forEach((s, i) => (s === spk ? te : tr).push(i));
    const part = (idx: number[]): FoldData => ({
      X: idx.map((i) => data.X[i]),
      labels: idx.map((i) => data.labels[i]),
      speakers: idx.map((i) => data.speakers[i]),
      pads: data.pads ? idx.map((i) => data.pads![i]) : undefined,
    });
    const t0 = performance.now();
    folds.push(evaluateFold(part(tr), part(te), settings));
    log(`fold ${k + 1}/${speakers.length} (speaker ${spk}, ${te.length} clips) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  return folds;
}

export async function runEvaluation(input: string, opts: RunOptions): Promise<EvaluationReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const settings = resolveSettings(opts.settings);
  const ds = loadDataset(input);
  log(`dataset: ${ds.clips.length} clips (${ds.source}), ${new Set(ds.clips.map((c) => c.speaker)).size} speakers${ds.skipped.length ? `, ${ds.skipped.length} skipped (no label or speaker)` : ''}`);
  let last = 0;
  const emb = await embedClips(ds.clips.map((c) => c.path), opts.encoder, {
    ...opts.embed,
    onProgress: (done, total) => {
      const now = performance.now();
      if (done === total || now - last > 2000) {
        last = now;
        log(`embedding ${done}/${total}`);
      }
    },
  });
  log(`embedded in ${emb.seconds.toFixed(1)} s (${emb.cached} from cache)`);
  const padLabels = ds.clips.every((c) => c.pad);
  const folds = evaluateRows(
    { X: emb.vectors, labels: ds.clips.map((c) => c.label), speakers: ds.clips.map((c) => c.speaker), pads: padLabels ? ds.clips.map((c) => c.pad) : undefined },
    settings,
    log,
  );
  const seconds = (performance.now() - t0) / 1000;
  return aggregate(folds, { ...settings, encoder: encoderReportName(opts.encoder), dataset: input, embedSeconds: emb.seconds }, { seconds, padLabels });
}
