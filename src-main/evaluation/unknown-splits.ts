// `eodn evaluate --unknown-splits pairs`: unknown detection over many choices of the unknown classes, not one.
// Every pair of the dataset's classes plays the unknowns in turn (21 splits on EmoDB's 7 classes); the clips
// are embedded once, and each split runs leave-one-speaker-out with exactly the detection step of fold.ts
// (per-speaker z-scores, the detection head, every detector, thresholds from simulated unknowns on the training
// speakers). This is the lighter setting of the split mode: PAD naming, discovery and the incremental step are
// not run, since only detection is compared. Per detector the report gives the mean, sd and minimum over
// splits of F1 and AUROC, beside the F1 of flagging every clip in each split.
import { Head } from '../engine/odn/head';
import type { Rows } from '../engine/odn/rows';
import { Standardizer } from '../engine/odn/standardize';
import { detectionMetrics, type DetectionMetrics, type ReportSettings } from './aggregate';
import { loadDataset } from './dataset';
import { fitDetectorSuite, type Calibrated, type InnerCache } from './detection';
import { embedClips } from './embed-clips';
import type { FoldData, FoldResult } from './fold';
import type { RunOptions } from './run';
import { DETECTORS, resolveSettings, type DetectorName, type EvaluationSettings } from './settings';

export type UnknownSplitsKind = 'pairs';

/** Every unordered pair of the labels, sorted. */
export function unknownPairs(labels: readonly string[]): string[][] {
  const names = [...new Set(labels)].sort();
  const out: string[][] = [];
  for (let a = 0; a < names.length; a++) for (let b = a + 1; b < names.length; b++) out.push([names[a], names[b]]);
  return out;
}

/** What one detection-only fold returns: the fields of FoldResult that detectionMetrics reads, and fusion-auto's members. */
export type DetectionFold = Pick<FoldResult, 'testSpeakers' | 'isUnknown' | 'detection'> & {
  fusionMembers: string[];
  temperature: number;
  /** The same fitted detectors under the other score normalisation (per-speaker z-scores or none). */
  other?: DetectionFold;
};

const select = <T>(a: readonly T[], idx: readonly number[]): T[] => idx.map((i) => a[i]);

/** The detection step of evaluateFold (fold.ts), alone. */
export function detectFold(train: FoldData, test: FoldData, s: EvaluationSettings, share?: { cache: InnerCache; trainIds: readonly number[] }): DetectionFold {
  const unknownSet = new Set(s.unknown);
  const knownNames = [...new Set(train.labels)].filter((l) => !unknownSet.has(l)).sort();
  const knownIndex = new Map(knownNames.map((n, i) => [n, i]));
  const std = new Standardizer({ mode: s.standardize });
  const Ztrain = std.fitTransform(train.X, train.speakers);
  const Ztest: Rows = std.transform(test.X, test.speakers);
  const kIdx = train.labels.map((_, i) => i).filter((i) => knownIndex.has(train.labels[i]));
  const kY = Int32Array.from(kIdx, (i) => knownIndex.get(train.labels[i])!);
  const makeDetectorHead = () => new Head({ ...s.head, ...(s.detectorHead ?? {}), seed: s.seed });
  const suite = fitDetectorSuite(select(Ztrain, kIdx), kY, select(train.speakers, kIdx), knownNames.length, makeDetectorHead, {
    innerFolds: s.innerFolds,
    seed: s.seed,
    thresholdSource: s.thresholdSource,
    scoreNorm: s.scoreNorm,
    detectors: s.detectors,
    innerCache: share?.cache,
    rowIds: share ? select(share.trainIds, kIdx) : undefined,
    compareNorms: true,
  });
  const detect = (c: Calibrated): FoldResult['detection'] => {
    const scores = c.score(Ztest, test.speakers);
    const detection = {} as FoldResult['detection'];
    for (const d of DETECTORS) {
      const th = c.thresholds[d];
      detection[d] = { scores: Array.from(scores[d]), threshold: th, flagged: Array.from(scores[d], (v) => v > th), fallback: c.fallback[d] };
    }
    return detection;
  };
  const isUnknown = test.labels.map((l) => !knownIndex.has(l));
  const testSpeakers = [...new Set(test.speakers)];
  return {
    testSpeakers,
    isUnknown,
    detection: detect(suite),
    fusionMembers: suite.fusionMembers,
    temperature: suite.temperature,
    other: suite.alternate ? { testSpeakers, isUnknown, detection: detect(suite.alternate), fusionMembers: suite.alternate.fusionMembers, temperature: suite.temperature } : undefined,
  };
}

export interface SplitResult {
  unknown: string[];
  clips: number;
  unknown_clips: number;
  /** F1 of flagging every clip: 2π / (1 + π) for the split's unknown share π. */
  flag_everything_f1: number;
  unknown_detection: Record<DetectorName, DetectionMetrics>;
  /** The same detectors, fits and splits under the other score normalisation (measures whether it helps). */
  unknown_detection_other_norm: Record<DetectorName, DetectionMetrics>;
  /** fusion-auto's chosen members (joined by "+") and in how many folds. */
  fusion_auto_members: Record<string, number>;
  /** Time spent in this split's folds (inner fits shared with earlier splits of the same fold not counted). */
  seconds: number;
}

export interface DetectorSummary {
  f1_mean: number;
  f1_sd: number;
  f1_min: number;
  auroc_mean: number;
  auroc_sd: number;
  auroc_min: number;
  /** Mean over splits of the F1 ceiling (each fold's threshold picked on its test labels: a bound, not a result). */
  f1_ceiling_mean: number;
  /** Mean over splits of the share of clips flagged. */
  flagged_share_mean: number;
  /** Largest share of clips flagged in any split. */
  flagged_share_max: number;
  /** Folds (over all splits) whose threshold fell back, and all folds. */
  fallback_folds: number;
  folds: number;
}

export interface SplitsReport {
  mode: 'unknown-splits';
  kind: UnknownSplitsKind;
  folds_per_split: number;
  clips: number;
  splits: SplitResult[];
  summary: Record<DetectorName, DetectorSummary>;
  /** The same under the other score normalisation (`score_norm` says which). */
  summary_other_norm: { score_norm: 'none' | 'per-speaker'; best_by_mean_f1: DetectorName; detectors: Record<DetectorName, DetectorSummary> };
  flag_everything_f1_mean: number;
  /** The detector with the highest mean F1 over splits (what the `detector` default is chosen by). */
  best_by_mean_f1: DetectorName;
  settings: Omit<ReportSettings, 'unknown'>;
  seconds: number;
}

const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const sd = (x: readonly number[]) => (x.length > 1 ? Math.sqrt(x.reduce((a, b) => a + (b - mean(x)) ** 2, 0) / (x.length - 1)) : 0);

/** Leave-one-speaker-out detection for each split of the unknown classes, over rows already embedded. */
export function evaluateSplitsRows(
  data: FoldData,
  base: Partial<EvaluationSettings>,
  splits: readonly string[][],
  log: (line: string) => void = () => {},
): { splits: SplitResult[]; folds: number } {
  const speakers = [...new Set(data.speakers)].sort();
  if (speakers.length < 2) throw new Error(`leave-one-speaker-out needs at least 2 speakers (found ${speakers.length})`);
  const part = (idx: number[]): FoldData => ({ X: select(data.X, idx), labels: select(data.labels, idx), speakers: select(data.speakers, idx) });
  const settings = splits.map((unknown) => resolveSettings({ ...base, unknown: [...unknown] }));
  const bySplit: DetectionFold[][] = splits.map(() => []);
  const seconds = splits.map(() => 0);
  // Fold-major: within one outer fold the splits share their inner fits (a simulated case trains on the known
  // classes minus the one held out, so each set of three excluded classes is fitted once, not three times).
  speakers.forEach((spk, f) => {
    const t0 = performance.now();
    const tr: number[] = [];
    const te: number[] = [];
    data.speakers.forEach((x, i) => (x === spk ? te : tr).push(i));
    const cache: InnerCache = new Map();
    splits.forEach((_, k) => {
      const t1 = performance.now();
      bySplit[k].push(detectFold(part(tr), part(te), settings[k], { cache, trainIds: tr }));
      seconds[k] += (performance.now() - t1) / 1000;
    });
    log(`fold ${f + 1}/${speakers.length} (speaker ${spk}) over ${splits.length} splits: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${cache.size} inner fits`);
  });
  const out: SplitResult[] = [];
  splits.forEach((unknown, k) => {
    const s = settings[k];
    const folds = bySplit[k];
    const isU = folds.flatMap((r) => r.isUnknown);
    const pi = isU.filter(Boolean).length / isU.length;
    const unknown_detection = {} as Record<DetectorName, DetectionMetrics>;
    const unknown_detection_other_norm = {} as Record<DetectorName, DetectionMetrics>;
    for (const d of DETECTORS) {
      unknown_detection[d] = detectionMetrics(folds, d);
      unknown_detection_other_norm[d] = detectionMetrics(folds.map((r) => r.other!), d);
    }
    const members: Record<string, number> = {};
    for (const r of folds) members[r.fusionMembers.join('+')] = (members[r.fusionMembers.join('+')] ?? 0) + 1;
    out.push({ unknown: [...unknown], clips: isU.length, unknown_clips: isU.filter(Boolean).length, flag_everything_f1: (2 * pi) / (1 + pi), unknown_detection, unknown_detection_other_norm, fusion_auto_members: members, seconds: seconds[k] });
    const best = DETECTORS.reduce((a, b) => (unknown_detection[b].f1 > unknown_detection[a].f1 ? b : a));
    log(`split ${k + 1}/${splits.length} (unknown ${unknown.join('+')}): best F1 ${best} ${unknown_detection[best].f1.toFixed(3)}, ${s.detector} ${unknown_detection[s.detector].f1.toFixed(3)}`);
  });
  return { splits: out, folds: speakers.length };
}

/** Mean, sd and minimum over splits per detector. */
export function summariseSplits(
  splits: readonly SplitResult[],
  foldsPerSplit: number,
  which: 'unknown_detection' | 'unknown_detection_other_norm' = 'unknown_detection',
): { summary: Record<DetectorName, DetectorSummary>; best: DetectorName } {
  if (splits.length === 0) throw new Error('no splits to summarise');
  const summary = {} as Record<DetectorName, DetectorSummary>;
  for (const d of DETECTORS) {
    const f1 = splits.map((x) => x[which][d].f1);
    const au = splits.map((x) => x[which][d].auroc);
    const share = splits.map((x) => x[which][d].flagged / x.clips);
    summary[d] = {
      f1_mean: mean(f1),
      f1_sd: sd(f1),
      f1_min: Math.min(...f1),
      auroc_mean: mean(au),
      auroc_sd: sd(au),
      auroc_min: Math.min(...au),
      f1_ceiling_mean: mean(splits.map((x) => x[which][d].f1_ceiling)),
      flagged_share_mean: mean(share),
      flagged_share_max: Math.max(...share),
      fallback_folds: splits.reduce((a, x) => a + x[which][d].fallback_folds.length, 0),
      folds: foldsPerSplit * splits.length,
    };
  }
  const best = DETECTORS.reduce((a, b) => (summary[b].f1_mean > summary[a].f1_mean ? b : a));
  return { summary, best };
}

export async function runUnknownSplits(input: string, kind: UnknownSplitsKind, opts: RunOptions): Promise<SplitsReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  if (kind !== 'pairs') throw new Error(`--unknown-splits must be pairs, got "${String(kind)}"`);
  const ds = loadDataset(input);
  log(`dataset: ${ds.clips.length} clips (${ds.source}), ${new Set(ds.clips.map((c) => c.speaker)).size} speakers${ds.skipped.length ? `, ${ds.skipped.length} skipped (no label or speaker)` : ''}`);
  const emb = await embedClips(ds.clips.map((c) => c.path), opts.encoder, opts.embed);
  log(`embedded in ${emb.seconds.toFixed(1)} s (${emb.cached} from cache)`);
  const labels = ds.clips.map((c) => c.label);
  const splits = unknownPairs(labels);
  if (new Set(labels).size < 5) throw new Error('pair splits need at least 5 classes (3 known ones for the threshold simulations)');
  const base = { ...opts.settings };
  delete base.unknown;
  const { splits: results, folds } = evaluateSplitsRows({ X: emb.vectors, labels, speakers: ds.clips.map((c) => c.speaker) }, base, splits, log);
  const { summary, best } = summariseSplits(results, folds);
  const other = summariseSplits(results, folds, 'unknown_detection_other_norm');
  const { unknown: _unused, ...settings } = resolveSettings({ ...base, unknown: splits[0] });
  return {
    mode: 'unknown-splits',
    kind,
    folds_per_split: folds,
    clips: ds.clips.length,
    splits: results,
    summary,
    summary_other_norm: { score_norm: settings.scoreNorm === 'none' ? 'per-speaker' : 'none', best_by_mean_f1: other.best, detectors: other.summary },
    flag_everything_f1_mean: mean(results.map((x) => x.flag_everything_f1)),
    best_by_mean_f1: best,
    settings: { ...settings, encoder: opts.encoder.kind, dataset: input, embedSeconds: emb.seconds },
    seconds: (performance.now() - t0) / 1000,
  };
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3).padStart(6) : '   -  ');

/** The detector table, a header and a row per detector (both score normalisations are printed this way). */
function detectorTable(summary: Record<DetectorName, DetectorSummary>): string[] {
  return [
    '  detector         F1 mean    sd    min  AUROC mean    sd    min  flagged mean/max  fell back  F1 ceiling',
    ...DETECTORS.map((d) => {
      const v = summary[d];
      return `  ${d.padEnd(16)} ${f(v.f1_mean)} ${f(v.f1_sd)} ${f(v.f1_min)}     ${f(v.auroc_mean)} ${f(v.auroc_sd)} ${f(v.auroc_min)}    ${f(v.flagged_share_mean)} ${f(v.flagged_share_max)}  ${String(v.fallback_folds).padStart(4)}/${v.folds}   ${f(v.f1_ceiling_mean)}`;
    }),
  ];
}

/** The split report as a plain-text table. */
export function formatSplitsReport(r: SplitsReport): string {
  const L: string[] = [];
  const s = r.settings;
  L.push(`Unknown detection over every pair of unknown classes: ${r.splits.length} splits × ${r.folds_per_split} leave-one-speaker-out folds, ${r.clips} clips`);
  L.push(`encoder ${String(s.encoder ?? '?')}, ${s.standardize} z-score, detection head L2 ${s.detectorHead?.l2 ?? s.head.l2}, ${s.head.epochs} epochs, score normalisation ${s.scoreNorm}; thresholds from simulated unknowns on training speakers`);
  L.push(`flag-everything F1: mean ${f(r.flag_everything_f1_mean).trim()} (per split ${f(Math.min(...r.splits.map((x) => x.flag_everything_f1))).trim()}-${f(Math.max(...r.splits.map((x) => x.flag_everything_f1))).trim()})`);
  L.push('');
  L.push(...detectorTable(r.summary));
  L.push(`  best mean F1: ${r.best_by_mean_f1}; detector driving discovery (setting): ${s.detector}`);
  L.push('  (F1 ceiling: mean over splits of the F1 when each fold\'s threshold is picked on its own test labels, a bound for any threshold rule on these scores)');
  const o = r.summary_other_norm;
  L.push('');
  L.push(`  the same fits, scores normalised ${o.score_norm === 'none' ? 'none' : 'per speaker (z-score of each speaker\'s own scores)'}:`);
  L.push(...detectorTable(o.detectors));
  L.push(`  best mean F1: ${o.best_by_mean_f1}`);
  L.push('');
  const top = DETECTORS.filter((d) => d === s.detector || d === r.best_by_mean_f1);
  L.push(`  per split F1 (AUROC): unknowns        all-flagged  ${top.map((d) => d.padEnd(18)).join(' ')}`);
  for (const x of r.splits)
    L.push(`  ${x.unknown.join('+').padEnd(34)} ${f(x.flag_everything_f1)}       ${top.map((d) => `${f(x.unknown_detection[d].f1)} (${f(x.unknown_detection[d].auroc).trim()})`.padEnd(18)).join(' ')}`);
  L.push(`${r.seconds.toFixed(1)} s`);
  return L.join('\n');
}
