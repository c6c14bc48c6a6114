// trainModel: the project's labelled clips of the known classes → a new, immutable model version with its
// predictions for every clip, made active. Steps: embeddings (cached) → per-speaker z-scores (fitted on all of
// the project's clips: needs no labels) → ε, ρ → cross-validated known-class accuracy → two heads → triplet
// thresholds (eqs. 1-3) → PAD regressor → the fused unknown detector that flags clips for Discover (fused-
// detector.ts, fitted on simulated unknowns) → predictions → version. The cross-validation's held-out predictions
// also fit the version's calibration map of p1 (metrics.calibration), which the estimate of labels right reads.
//
// Two heads (measured in docs/eval/README.md): a more strongly regularised detection head
// (`DETECTOR_HEAD_OVERRIDES`, shared/defaults.ts: L2 ten times the label head's, not more, so the curator's
// answers still teach it) gives less over-confident probabilities for the detectors; a lightly regularised label
// head (`DEFAULT_HEAD_SETTINGS`) is the better classifier. The design kept here is the simplest one that stays
// self-consistent for the annotator: the detection head makes every stored prediction (probabilities,
// Decision numbers and the accepted label = its top-1), so the DecisionPanel shows one head's numbers; the
// label head is stored beside it and is what discovery clusters (its logits). The reported cross-validation is
// the detection head's, i.e. of the labels the studio actually proposes.
//
// Soft labels (`labels: 'distribution'`, issue 14): both heads are fitted on the votes' distribution where two
// or more annotators voted (one row per voted class, weighted by its share: project-data.ts trainingRows), with
// the class balance counted by weight. Everything that needs one label per clip stays on the current labels:
// ε, ρ, the cross-validation (heads trained on the labels, so its accuracy is that of a majority-trained head),
// the triplet statistics, the detectors, the PAD regressor and the per-class counts.
import { DEFAULT_EPSILON_RHO, DEFAULT_MIN_CLIPS_PER_CLASS, DETECTOR_HEAD_OVERRIDES } from '../../shared/defaults';
import {
  DEFAULT_HEAD_SETTINGS,
  chooseEpsilonRho,
  computeThresholds,
  Head,
  innerFolds,
  isUnknown,
  outOfFoldProbabilities,
  Standardizer,
  type HeadSettings,
  type TripletThresholds,
} from '../engine/odn';
import { weightedAccuracy } from '../engine/metrics';
import { PadRidge } from '../engine/pad';
import type { ModelVersion, NewPrediction } from '../store/models';
import type { ProjectStore } from '../store/project-store';
import { crossValidate } from './cross-validate';
import { inheritCalibration } from './labels-estimate';
import { fitDetectors } from './detector-verdicts';
import { countFusedFlags, fitStudioFusedDetector, fusedDetectorJSON, TRIPLET_ASKED, unknownDetectorInfo } from './fused-detector';
import { countDecisions, makePredictor, resolveClassPads, type ModelBundle } from './model-bundle';
import { preferredWords } from './suggested-words';
import { padTable } from '../../shared/pad-tables';
import {
  balancedSampleWeights,
  cancelRequested,
  checkCancelled,
  chooseKnownClasses,
  PipelineError,
  projectClips,
  projectVectors,
  projectVotes,
  trainingRows,
  type ClipInfo,
  type TrainingLabels,
} from './project-data';
import { saveVersion } from './save-version';
import type { ModelMetrics, ModelSettings, TrainOptions } from './types';

/**
 * speech_embedding (+ functionals, 567-d): on EmoDB leave-one-speaker-out it detects unknowns better than the
 * functionals alone and classifies the closed set better (figures: docs/eval/README.md).
 */
export const DEFAULT_ENCODER = { kind: 'speech-embedding' } as const;
export { DEFAULT_MIN_CLIPS_PER_CLASS };

export interface TrainModelOptions extends TrainOptions {
  /** What the two heads are fitted on: each clip's current label ('majority', the default: the label rule's
   * label), or where two or more annotators voted, the distribution of their votes ('distribution'). */
  labels?: TrainingLabels;
}

export async function trainModel(store: ProjectStore, opts: TrainModelOptions = {}): Promise<ModelVersion> {
  const t0 = performance.now();
  const hooks = { onProgress: opts.onProgress, signal: opts.signal, shouldAbort: opts.shouldAbort };
  const progress = opts.onProgress ?? (() => {});
  progress({ stage: 'prepare', done: 0, total: 1, message: 'reading clips and labels' });
  const clips = projectClips(store);
  const known = chooseKnownClasses(clips, opts.known, opts.minClipsPerClass ?? DEFAULT_MIN_CLIPS_PER_CLASS);
  const encoder = opts.encoder ?? DEFAULT_ENCODER;
  const headSettings: HeadSettings = { ...DEFAULT_HEAD_SETTINGS, ...opts.head };
  const detSettings: HeadSettings = { ...headSettings, ...DETECTOR_HEAD_OVERRIDES, ...opts.detectorHead };
  const padTableId = opts.padTable ?? 'combined';
  const classPads = resolveClassPads(store, known, padTableId);

  const emb = await projectVectors(store, encoder, opts.embed ?? {}, hooks);
  const usable = clips.filter((c) => emb.vectors.has(c.id));
  const train = usable.filter((c) => c.label !== null && known.includes(c.label));
  const missing = known.filter((k) => !train.some((c) => c.label === k));
  if (missing.length) throw new PipelineError(`no embedded clip of ${missing.join(', ')} (embedding errors: ${emb.errors.length})`);

  progress({ stage: 'standardize', done: 0, total: 1, message: 'standardizing features per speaker' });
  const standardizer = new Standardizer({ mode: opts.standardize ?? 'per-speaker' });
  const Zall = standardizer.fitTransform(usable.map((c) => emb.vectors.get(c.id)!), usable.map((c) => c.speaker));
  const rowOf = new Map(usable.map((c, i) => [c.id, i]));
  const Xtr = train.map((c) => Zall[rowOf.get(c.id)!]);
  const ytr = Int32Array.from(train, (c) => known.indexOf(c.label!));
  const spk = train.map((c) => c.speaker);

  const er = chooseThresholdFactors(opts, known.length, () => {
    progress({ stage: 'tune', done: 0, total: 1, message: 'choosing ε and ρ on simulated unknowns' });
    // Tuned ε, ρ are chosen on statistics of held-out probabilities, so the final statistics are too.
    return chooseEpsilonRho(Xtr, ytr, spk, () => new Head(detSettings), { shouldAbort: opts.shouldAbort, thresholdSource: 'heldout' });
  });
  checkCancelled(hooks);

  // Held-out accuracy and the calibration map of p1 from the same held-out predictions; without them (the
  // simulator's re-trainings) the parent's map is kept, marked as inherited.
  const held = opts.crossValidate === false ? { cv: null, calibration: null } : crossValidate(Xtr, ytr, spk, known.length, detSettings, { kFolds: opts.cvFolds ?? 5, ...hooks });
  const cv = held.cv;
  const calibration = held.calibration ?? inheritCalibration(store, store.activeModelVersionId());

  const shouldAbort = () => cancelRequested(opts);
  const labels = opts.labels ?? 'majority';
  // The rows the heads are fitted on: the labelled clips, or the votes' distribution where several voted.
  let fitRows: { X: readonly Float32Array[]; y: Int32Array; weight: Float64Array | null } = { X: Xtr, y: ytr, weight: null };
  if (labels === 'distribution') {
    const rows = trainingRows(usable, projectVotes(store), known, 'distribution');
    fitRows = {
      X: rows.map((r) => Zall[rowOf.get(r.clipId)!]),
      y: Int32Array.from(rows, (r) => known.indexOf(r.label)),
      weight: Float64Array.from(rows, (r) => r.weight),
    };
    const soft = new Set(rows.filter((r) => r.weight < 1).map((r) => r.clipId)).size;
    progress({ stage: 'fit', done: 0, total: detSettings.epochs + headSettings.epochs, message: `fitting on the vote distribution: ${rows.length} rows, ${soft} clips weighted by their votes` });
  }
  // One 'fit' stage over both heads: progress (and the live curve's epoch) runs on instead of restarting.
  const fitEpochs = detSettings.epochs + headSettings.epochs;
  const fitHead = (settings: HeadSettings, what: string, offset: number): Head => {
    const h = new Head(settings);
    const w = fitRows.weight;
    const report = h.fit(fitRows.X, fitRows.y, {
      nClasses: known.length,
      ...(w ? { sampleWeight: settings.classWeight === 'balanced' ? balancedSampleWeights(fitRows.y, w, known.length) : w } : {}),
      shouldAbort,
      onEpoch: (epoch, loss, accuracy) =>
        progress({ stage: 'fit', done: offset + epoch, total: fitEpochs, message: `training the ${what} head: epoch ${epoch} of ${settings.epochs}`, epoch: offset + epoch, loss, accuracy }),
    });
    checkCancelled(hooks);
    if (report.aborted) throw new PipelineError('training stopped early');
    return h;
  };
  const detHead = fitHead(detSettings, 'detection', 0);
  const labelHead = fitHead(headSettings, 'label', detSettings.epochs);

  progress({ stage: 'thresholds', done: 0, total: 1, message: 'computing triplet thresholds' });
  const thresholdSource: ModelSettings['thresholdSource'] = er.source === 'tuned' ? 'heldout' : 'train';
  const thresholds = tripletThresholds(Xtr, ytr, spk, known.length, detHead, detSettings, er, thresholdSource);
  checkCancelled(hooks);
  const trainAccuracy = weightedAccuracy(ytr, detHead.predict(Xtr));
  const padRidge = fitPadRidge(Xtr, train, known, classPads);
  const detectors = fitDetectors(detHead, Xtr, ytr);
  // The detector that flags unknown clips (fused-detector.ts): fitted on the labelled known clips, inner folds
  // over the project's speakers, under the detection head; its state goes into the bundle.
  progress({ stage: 'thresholds', done: 0, total: 1, message: 'fitting the fused unknown detector on simulated unknowns' });
  const fused = opts.unknownDetector === 'triplet' ? TRIPLET_ASKED : fitStudioFusedDetector(Xtr, ytr, spk, known.length, detHead, detSettings, hooks);
  checkCancelled(hooks);

  const settings: ModelSettings & { labels?: TrainingLabels } = {
    encoder,
    known,
    head: headSettings,
    detectorHead: detSettings,
    standardize: standardizer.mode,
    epsilon: er.epsilon,
    rho: er.rho,
    epsilonRhoSource: er.source,
    muRule: opts.muRule ?? 'top1',
    padTable: padTableId,
    padMethod: opts.padMethod ?? 'eq4',
    thresholdSource,
    ...(labels === 'distribution' ? { labels } : {}),
  };
  const bundle: ModelBundle = { format: 'eodn-model/1', encoder, standardizer: standardizer.toJSON(), head: labelHead.toJSON(), detectorHead: detHead.toJSON(), padRidge: padRidge?.toJSON() ?? null, classPads, detectors: detectors.thresholds, ...fusedDetectorJSON(fused) };

  progress({ stage: 'predict', done: 0, total: usable.length, message: `predicting ${usable.length} clips` });
  const predictor = makePredictor(bundle, known, thresholds, settings, detectors, preferredWords(store, known, padTable(padTableId)));
  const predictions = predictor.predict(usable.map((c) => c.id), Zall, usable.map((c) => c.speaker));
  checkCancelled(hooks);

  const perClass = Object.fromEntries(known.map((k, i) => [k, ytr.filter((y) => y === i).length]));
  const metrics: ModelMetrics = {
    nTrain: train.length,
    perClass,
    trainAccuracy,
    cv,
    decisions: countDecisions(predictions),
    predicted: predictions.length,
    embedErrors: emb.errors.length,
    labelledOutside: outsideStats(usable, known, predictions),
    ...(calibration ? { calibration } : {}),
    unknownDetector: unknownDetectorInfo(fused, flaggedCount(fused.detector !== null, predictions)),
    seconds: (performance.now() - t0) / 1000,
  };
  progress({ stage: 'save', done: 0, total: 1, message: 'saving the model version' });
  return saveVersion(store, {
    parentId: store.activeModelVersionId(),
    name: opts.name?.trim() || `trained on ${known.length} classes`,
    classes: known,
    bundle,
    thresholds,
    settings,
    metrics,
    predictions,
    activate: opts.activate ?? true,
  });
}

function chooseThresholdFactors(
  opts: TrainOptions,
  nClasses: number,
  tune: () => { epsilon: number; rho: number },
): { epsilon: number; rho: number; source: ModelSettings['epsilonRhoSource'] } {
  const want = opts.epsilonRho ?? DEFAULT_EPSILON_RHO;
  if (!opts.epsilonRho && want !== 'tune') return { ...want, source: 'default' };
  if (want !== 'tune') return { ...want, source: 'given' };
  // Tuning holds out one known class at a time, so it needs ≥ 3 of them; fewer keep the defaults.
  if (nClasses >= 3) {
    try {
      const r = tune();
      return { epsilon: r.epsilon, rho: r.rho, source: 'tuned' };
    } catch (e) {
      if (cancelRequested(opts)) throw e;
    }
  }
  return { ...DEFAULT_EPSILON_RHO, source: 'default' };
}

/**
 * `TrainOptions.epsilonRho` from a request's `tune`, `epsilon`, `rho` (the api's and the cli's): 'tune', or ε
 * and ρ where either is given (the other keeps its default), else undefined (the defaults).
 */
export function epsilonRhoChoice(a: { tune?: boolean; epsilon?: number; rho?: number }): TrainOptions['epsilonRho'] {
  if (a.tune) return 'tune';
  if (a.epsilon === undefined && a.rho === undefined) return undefined;
  return { epsilon: a.epsilon ?? DEFAULT_EPSILON_RHO.epsilon, rho: a.rho ?? DEFAULT_EPSILON_RHO.rho };
}

/**
 * Eqs. 1-3 for the detection head: from its own training probabilities ('train', the paper's reading), or from
 * out-of-fold probabilities over the same inner folds the ε, ρ simulations used ('heldout').
 */
function tripletThresholds(
  X: readonly Float32Array[],
  y: Int32Array,
  speakers: readonly (string | null)[],
  nClasses: number,
  head: Head,
  settings: HeadSettings,
  er: { epsilon: number; rho: number },
  source: ModelSettings['thresholdSource'],
): TripletThresholds {
  const probs = source === 'heldout' ? outOfFoldProbabilities(X, y, innerFolds(X.length, speakers), nClasses, () => new Head(settings)) : head.predictProba(X);
  return computeThresholds(probs, y, { epsilon: er.epsilon, rho: er.rho });
}

/** The PAD regressor on the training clips whose class has a vector (null when fewer than 2 classes do). */
export function fitPadRidge(X: readonly Float32Array[], clips: readonly ClipInfo[], classes: readonly string[], pads: readonly (readonly [number, number, number] | null)[]): PadRidge | null {
  const rows: Float32Array[] = [];
  const targets: [number, number, number][] = [];
  clips.forEach((c, i) => {
    const p = pads[classes.indexOf(c.label!)];
    if (p) {
      rows.push(X[i]);
      targets.push([p[0], p[1], p[2]]);
    }
  });
  if (new Set(targets.map((t) => t.join())).size < 2) return null;
  return new PadRidge().fit(rows, targets);
}

/** Clips flagged: by the fused detector when the version has one, else by the triplet rule. */
export function flaggedCount(fused: boolean, preds: readonly NewPrediction[]): number {
  return fused ? countFusedFlags(preds) : preds.filter((p) => isUnknown(p.decision)).length;
}

/** Labelled clips outside the known classes, and how many the thresholds call unknown (an open-set check). */
export function outsideStats(clips: readonly ClipInfo[], known: readonly string[], preds: readonly { clipId: number; decision: Parameters<typeof isUnknown>[0] }[]): ModelMetrics['labelledOutside'] {
  const outside = new Set(clips.filter((c) => c.label !== null && !known.includes(c.label)).map((c) => c.id));
  let calledUnknown = 0;
  for (const p of preds) if (outside.has(p.clipId) && isUnknown(p.decision)) calledUnknown++;
  return { n: outside.size, calledUnknown };
}
