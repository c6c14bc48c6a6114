// StudioApi: the one contract between the renderer and the main process.
// Every method has a valibot schema for its arguments (validated in main before any handler runs, whatever
// the transport) and a result type. Main implements it once (src-main/api); the renderer reaches it through
// Electron IPC (preload) or the token-guarded loopback transport (browser mode).
import * as v from 'valibot';
import { DECISION_KINDS, type Annotation, type Clip, type ClipRow, type Decision, type DecisionKind, type EmotionClass, type JobProgress, type Pad, type PadTerm, type ProjectInfo } from './domain';

const id = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER));
/** valibot's object schemas take an array for an object without keys: an argument that is an array is a mistake. */
const notArray = <T extends v.GenericSchema>(schema: T) =>
  v.pipe(v.custom<v.InferInput<T>>((x) => !Array.isArray(x), 'Invalid type: Expected Object but received Array'), schema);
const shortText = v.pipe(v.string(), v.maxLength(200));

export const ClipFilterSchema = v.strictObject({
  label: v.optional(shortText),
  decision: v.optional(v.picklist(DECISION_KINDS)),
  reviewed: v.optional(v.boolean()),
  speaker: v.optional(shortText),
  minConfidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  maxConfidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  search: v.optional(shortText),
  /** Clips on which this annotator has a standing answer. */
  annotator: v.optional(shortText),
  /** Clips whose annotators' standing answers name different classes (Review's "Disagreements"). */
  disagreement: v.optional(v.boolean()),
  /** Only these clips (at most 5000). */
  ids: v.optional(v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.maxLength(5000))),
});

export const ClipSortSchema = v.strictObject({
  by: v.picklist(['name', 'duration', 'confidence', 'label', 'speaker'] as const),
  dir: v.picklist(['asc', 'desc'] as const),
});

const className = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));
const padValue = v.pipe(v.number(), v.finite(), v.minValue(-4), v.maxValue(4));
// strictTuple: a plain tuple would let a fourth number through unnoticed.
const PadSchema = v.strictTuple([padValue, padValue, padValue]);
const jobId = v.pipe(v.string(), v.uuid());
/** A path on the studio's machine; main checks that it is absolute and where it points (src-main/api/projects). */
const filePath = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(4096),
  // A NUL ends a C string: the file system would see a shorter path than the one that was checked.
  v.check((s) => !s.includes('\0'), 'a path cannot contain a NUL character'),
);

export const EncoderKindSchema = v.picklist(['functionals', 'speech-embedding', 'speech-embedding-only'] as const);
/** A training's encoder: a bundled one by name (default speech-embedding), or any ONNX encoder by the absolute
 * path of its manifest.json (docs/encoders/README.md), checked by main before the job starts. */
export const TrainEncoderSchema = v.union([EncoderKindSchema, v.strictObject({ manifest: filePath })]);
export type TrainEncoder = v.InferOutput<typeof TrainEncoderSchema>;
/** What the heads are fitted on: the current labels (majority / adjudicated) or the annotators' vote distribution. */
export const TrainLabelsSchema = v.picklist(['majority', 'distribution'] as const);

export const TrainArgsSchema = v.strictObject({
  /** Known classes, in head order; default: every class with at least 5 labelled clips. */
  known: v.optional(v.pipe(v.array(className), v.minLength(2), v.maxLength(200))),
  encoder: v.optional(TrainEncoderSchema),
  /** Default 'majority' (`eodn train --labels`). */
  labels: v.optional(TrainLabelsSchema),
  /** ε, ρ of eqs. 2-3 (default `DEFAULT_EPSILON_RHO`, shared/defaults.ts), or tune them on simulated unknowns. */
  epsilon: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(1))),
  rho: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(10))),
  tune: v.optional(v.boolean()),
  name: v.optional(shortText),
});

export const FinetuneArgsSchema = v.strictObject({
  /** The new class (created when the project does not have it). */
  name: className,
  clipIds: v.pipe(v.array(id), v.minLength(1), v.maxLength(10_000)),
  /** Its PAD point for eq. 6; default: the class's own, its table term, or the mean PAD of its clips. */
  pad: v.optional(PadSchema),
  baseVersionId: v.optional(id),
  annotator: v.optional(shortText),
});

/** Who an answer is recorded as when a call names no one (and the name a studio starts with). */
export const DEFAULT_ANNOTATOR = 'annotator';
const annotatorName = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));

/** Where the studio's embedding jobs run their encoder: the CPU (the default), or a GPU — CUDA or WebGPU where
 * ONNX Runtime finds one, otherwise the CPU with the reason stated (`LastProvider.fallback`). Kept per data folder. */
export const EMBEDDING_DEVICES = ['cpu', 'gpu'] as const;
export type EmbeddingDevice = (typeof EMBEDDING_DEVICES)[number];

export const AnnotationArgsSchema = v.strictObject({
  clipId: id,
  action: v.picklist(['accept', 'reject', 'relabel', 'new-class', 'undo'] as const),
  label: v.optional(v.nullable(className)),
  annotator: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  /** An adjudicator's decision where annotators disagree (accept, relabel or new-class): it decides the label. */
  adjudicated: v.optional(v.boolean()),
});

export const AnnotateManyArgsSchema = v.strictObject({
  clipIds: v.pipe(v.array(id), v.minLength(1), v.maxLength(10_000)),
  /** The same answer for every clip, recorded in one transaction (all or nothing). */
  action: v.picklist(['accept', 'reject', 'relabel', 'new-class'] as const),
  label: v.optional(v.nullable(className)),
  annotator: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
});

export const DiscoverArgsSchema = v.strictObject({
  /** Version whose unknowns are clustered (default: the active one). */
  versionId: v.optional(id),
  /** Decisions that count as unknown (default: unknown and ambiguous-unknown). */
  decisions: v.optional(v.pipe(v.array(v.picklist(DECISION_KINDS)), v.minLength(1), v.maxLength(DECISION_KINDS.length))),
  /** Also cluster clips the annotator has already answered (default false). */
  includeReviewed: v.optional(v.boolean()),
  /** "Not like the others": each clip is kept apart from the clips of the group it was taken out of. */
  apart: v.optional(v.pipe(v.array(v.strictObject({ clipId: id, from: v.pipe(v.array(id), v.maxLength(10_000)) })), v.maxLength(1000))),
});

/** ε, ρ of eqs. 2-3 for a version (default: the active one); the same bounds as training. */
export const ThresholdArgsSchema = v.strictObject({
  versionId: v.optional(id),
  epsilon: v.pipe(v.number(), v.gtValue(0), v.maxValue(1)),
  rho: v.pipe(v.number(), v.gtValue(0), v.maxValue(10)),
});

export const BatchAcceptArgsSchema = v.strictObject({
  /** Accept the active model's label on unreviewed clips whose top-1 probability is at least this. */
  minConfidence: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  /** Which decisions qualify (default 'accepted': above η; 'ambiguous-accepted' passed on its margin). */
  decision: v.optional(v.picklist(['accepted', 'ambiguous-accepted'] as const)),
  /**
   * With decision 'accepted' (the default): also the ambiguous-accepted clips at or above this, in the same step
   * (one decision for both, as `eodn simulate` books it). Refused with decision 'ambiguous-accepted'.
   */
  ambiguousMinConfidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  /** Only count (and sample) the clips; record nothing. */
  dryRun: v.boolean(),
  /** How many of the clips the answer lists, least confident first (default 12): the dialog lists a batch whole to be checked. */
  sampleSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  annotator: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
});

/** Argument schemas, one per method. The keys are the method names on every transport. */
export const methodSchemas = {
  'app.info': v.strictObject({}),
  /** The name this data folder records answers under (the renderer sends it with every decision). */
  'app.setAnnotator': v.strictObject({ name: annotatorName }),
  /** The device this data folder's embedding jobs (a training's, a fine-tune's) ask for. */
  'app.setDevice': v.strictObject({ device: v.picklist(EMBEDDING_DEVICES) }),
  'project.current': v.strictObject({}),
  'clips.list': v.strictObject({
    offset: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
    limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000)),
    filter: v.optional(notArray(ClipFilterSchema)),
    sort: v.optional(notArray(ClipSortSchema)),
  }),
  'clips.get': v.strictObject({ id }),
  'classes.list': v.strictObject({}),
  /** Deletes a class nothing uses (no clip, no standing answer, no model version); refused otherwise. */
  'classes.delete': v.strictObject({ name: className }),
  /**
   * Renames a class, as appended history: every clip labelled `name` is labelled `to` (appended relabels where
   * an answer gave the label), model versions keep their own names (their `name` is read as `to` from then on).
   */
  'classes.rename': v.strictObject({ name: className, to: className, annotator: v.optional(annotatorName) }),
  /** Merges `name` into the existing class `into`: every clip of `name` is relabelled, `name` deleted when nothing uses it. */
  'classes.merge': v.strictObject({ name: className, into: className, annotator: v.optional(annotatorName) }),
  'annotations.add': AnnotationArgsSchema,
  'annotations.history': v.strictObject({ clipId: id }),
  'annotations.addMany': AnnotateManyArgsSchema,
  /** Annotators with a standing answer on some clip, and on how many. */
  'annotations.annotators': v.strictObject({}),
  /** Agreement between the open project's annotators (each one's standing answer per clip). */
  'agreement.report': v.strictObject({}),
  /** Each clip's votes (annotators' standing answers) and which step of the label rule decided it. */
  'annotations.votes': v.strictObject({ clipIds: v.pipe(v.array(id), v.minLength(1), v.maxLength(5000)) }),
  'discover.clusters': DiscoverArgsSchema,
  'models.list': v.strictObject({}),
  'models.get': v.strictObject({ id }),
  'models.train': TrainArgsSchema,
  'models.finetune': FinetuneArgsSchema,
  'models.activate': v.strictObject({ id }),
  'models.previewThresholds': ThresholdArgsSchema,
  'models.applyThresholds': ThresholdArgsSchema,
  'annotations.batchAccept': BatchAcceptArgsSchema,
  'labels.estimate': v.strictObject({}),
  'jobs.get': v.strictObject({ jobId }),
  'jobs.cancel': v.strictObject({ jobId }),
  'predictions.forClip': v.strictObject({ clipId: id, versionId: v.optional(id) }),
  'pad.table': v.strictObject({ table: v.optional(v.picklist(['eodn', 'russell-mehrabian', 'combined'] as const)) }),
  'clips.peaks': v.strictObject({ id, pixelsPerSecond: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(48_000))) }),
  'clips.spectrogram': v.strictObject({
    id,
    // Seconds of the file; a week bounds any recording and refuses Infinity/1e300.
    startSec: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(604_800))),
    endSec: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(604_800))),
    columns: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4000))),
  }),
  'projects.recent': v.strictObject({}),
  'projects.create': v.strictObject({ name: className, file: v.optional(filePath) }),
  'projects.open': v.strictObject({ file: filePath }),
  'projects.import': v.strictObject({ source: filePath }),
  /** Merges the decisions of other copies of the open project (annotators' copies of the same audio) into it. */
  'projects.merge': v.strictObject({ files: v.pipe(v.array(filePath), v.minLength(1), v.maxLength(50)) }),
} as const;

export type ClipFilter = v.InferOutput<typeof ClipFilterSchema>;
export type ClipSort = v.InferOutput<typeof ClipSortSchema>;

export type ExecutionProvider = 'cpu' | 'cuda' | 'webgpu';

export interface AppInfo {
  name: string;
  version: string;
  transport: 'electron' | 'browser';
  /** Where projects live by default (the user's data folder). */
  dataDir: string;
  /**
   * The execution provider the studio's embedding jobs run ONNX encoders on: they name no device, so they ask
   * for the engine's default (`DEFAULT_DEVICE` in src-main/engine/encoders/types.ts, the CPU), and a CPU request
   * runs on the CPU provider without fallback; known before any model loads. The functionals encoder runs as
   * plain TypeScript instead ('js' in `lastProvider`). With `device: 'gpu'` it stays the CPU, the provider a GPU
   * request falls back to: where such a job ran is known once it ran (`lastProvider`).
   */
  executionProvider: ExecutionProvider;
  /** The device this data folder's embedding jobs ask for (`app.setDevice`; 'cpu' until one was chosen). */
  device: EmbeddingDevice;
  /** The provider the last embedding run of a job actually computed on (null until one computed anything). */
  lastProvider: LastProvider | null;
  /** The name answers are recorded under, chosen once per data folder; null until one was chosen (or skipped). */
  annotator: string | null;
}

export interface LastProvider {
  /** 'cpu', 'cuda', 'webgpu' (ONNX Runtime) or 'js' (the pure-TypeScript functionals encoder). */
  provider: string;
  /** Clips that run computed per second (its workers' start and model load included). */
  clipsPerSec?: number;
  /** The encoder it ran ('speech-embedding', or a manifest encoder's id). */
  encoder?: string;
  /** The device the run asked for (absent in a run that asked for none: the CPU). */
  requested?: EmbeddingDevice;
  /** A GPU run that ran on the CPU: why ("cuda: … | webgpu: …"), as shown after "GPU asked for, ran on CPU: ". */
  fallback?: string;
  jobId: string;
  kind: string;
  at: string;
}

export type DecisionCounts = Record<DecisionKind, number>;

/** What a model version measured about itself (see src-main/pipeline). */
export interface ModelMetrics {
  nTrain: number;
  perClass: Record<string, number>;
  /** Accuracy of the head on its own training clips (a fit, not a measure: the studio does not show it). */
  trainAccuracy: number;
  /**
   * Accuracy (weighted, unweighted) on held-out clips: heads trained without each fold, scored on it. A trained
   * version: its known classes; a fine-tuned one: every class, the new one included (see `forgetting`).
   * `clips`: how many clips were scored (absent in versions made before it was recorded).
   */
  cv: { scheme: 'leave-one-speaker-out' | 'k-fold'; folds: number; accuracy: number; uar: number; clips?: number } | null;
  /** Decisions over every predicted clip of the project. */
  decisions: DecisionCounts;
  predicted: number;
  /** Clips whose embedding failed (not predicted). */
  embedErrors: number;
  /** Labelled clips outside the model's classes, and how many of them the thresholds called unknown. */
  labelledOutside: { n: number; calledUnknown: number };
  /**
   * Fine-tuning only: forgetting (known-class accuracy before → after) and learning of the new class. With
   * `heldOut`, measured on held-out clips: per fold, a head trained on the other folds' clips, grown and
   * fine-tuned on the other folds' new-class clips, scored on the fold's `knownClips` known and `newClips`
   * new-class clips. Without it (versions made before), on the head's own training clips.
   */
  forgetting?: {
    knownAccuracyBefore: number;
    knownAccuracyAfter: number;
    newClassAccuracy: number;
    nNew: number;
    replayed: number;
    heldOut?: { scheme: 'leave-one-speaker-out' | 'k-fold'; folds: number; knownClips: number; newClips: number };
  };
  /**
   * How far the detection head's top-1 probability (p1) can be trusted: a map from p1 to the chance that top-1
   * is right, fitted on held-out predictions. Absent in versions made before it was recorded, and when too few
   * clips were held out (then p1 itself is used).
   */
  calibration?: ConfidenceCalibration;
  /** What flags unknown clips for Discover (absent in versions made before the fused detector: the triplet rule). */
  unknownDetector?: UnknownDetectorInfo;
  seconds: number;
}

/**
 * The detector that flags a version's unknown clips (src-main/pipeline/fused-detector.ts): the fused detector
 * (MSP + OpenMax + Mahalanobis ranks, z-scored per speaker), or the paper's triplet rule when the version has
 * none (`reason` says why). `f1`, `auroc`: on simulated unknowns (each known class held out in turn, inner
 * folds over the training speakers), the pool the threshold was chosen on.
 */
export interface UnknownDetectorInfo {
  name: 'fusion' | 'triplet';
  label: string;
  reason?: string;
  threshold?: number;
  /** The flag-rate guard refused the max-F1 threshold and its fallback (15 % of held-out known clips flagged) set it. */
  fallback?: boolean;
  /** Share of the simulated pool its threshold flags. */
  poolFlagged?: number;
  f1?: number;
  auroc?: number;
  simulatedCases?: number;
  innerFolds?: number;
  /** Inner folds over the training speakers, or stratified folds of one speaker's clips. */
  folds?: 'speakers' | 'stratified' | 'random';
  /** A speaker with fewer clips in the project is z-scored with all the project's clips' statistics. */
  minSpeakerClips?: number;
  /** Clips of the project it flags. */
  flagged?: number;
}

/**
 * A version's calibration of p1 (src-main/engine/metrics/calibration.ts): isotonic regression of "top-1 right"
 * on p1 over the clips its cross-validation held out (for a fine-tune, its held-out folds; every clip is of a
 * class the model knew, so clips of an emotion it does not know are not in it).
 */
export interface ConfidenceCalibration {
  /** Knots of the monotone map: p1 ascending, the chance top-1 is right non-decreasing (linear in between). */
  map: { p1: number[]; pRight: number[] };
  /** Held-out clips it was fitted on, and how they were held out. */
  clips: number;
  scheme: 'leave-one-speaker-out' | 'k-fold';
  /** Expected calibration error (10 bins) on those clips: of p1 itself, and of the map, each fold's clips mapped by a map fitted without them (null when it could not be cross-fitted). */
  eceRaw: number;
  ece: number | null;
  /** Set when this version was made without cross-validation (the simulator's re-trainings) and kept the map of this earlier version. */
  inheritedFrom?: number;
}

/**
 * The estimate of labels right (src-main/pipeline/labels-estimate.ts). Every clip of the project counts: an
 * answered clip as right (answers count as right), an unanswered clip by the calibrated chance that the active
 * model's label for it is right (for a clip it calls unknown: its top-1 best guess), a clip with no label at all
 * as wrong. Imported labels count once answered; until then the clip counts by the model's label.
 */
export interface LabelsEstimate {
  /** Expected share of the clips whose label is right (0 for a project without clips). */
  share: number;
  clips: number;
  /** Clips with an answer that gave them a label. */
  answered: number;
  /** Unanswered clips with a prediction of the active model; of them, those it calls unknown (counted by their top-1 guess). */
  modelLabelled: number;
  modelUnknown: number;
  /** Clips with neither: no prediction (no model, embedding failed) or an answer that left no label. */
  unlabelled: number;
  versionId: number | null;
  /** False when the active version has no calibration map: then the model's clips count their raw top-1 probability. */
  calibrated: boolean;
  /** The map's held-out ECE (cross-fitted), the raw p1's, and the held-out clips behind them. */
  ece?: number;
  eceRaw?: number;
  heldOutClips?: number;
  /** The version whose held-out predictions fitted the map, when it is not the active one. */
  inheritedFrom?: number;
}

/**
 * Agreement between a project's annotators (src-main/api/agreement.ts over engine/agreement): each annotator's
 * standing answer per clip that names a class (a reject names none); figures that are undefined (too few
 * answers, every answer the same) are null.
 */
export interface AgreementResult {
  /** Annotators with such an answer, by name, and on how many clips. */
  annotators: { name: string; clips: number }[];
  /** Clips with an answer, and those with answers from two or more annotators (the ones compared). */
  clips: number;
  pairableClips: number;
  categories: string[];
  krippendorffAlpha: number | null;
  fleissKappa: number | null;
  /** Share of agreeing annotator pairs per clip (P̄) and its chance value (P̄_e). */
  observedAgreement: number | null;
  expectedAgreement: number | null;
  /** Every pair of annotators over the clips both answered: Cohen's kappa and the share they agree on. */
  pairs: { a: string; b: string; clips: number; kappa: number | null; agreement: number | null }[];
  /** Per class: its share of the answers, Fleiss' κ_j and specific agreement (another annotator chose it too). */
  perClass: { name: string; share: number | null; kappa: number | null; specificAgreement: number | null }[];
}

/**
 * The votes on one clip and how its label was decided (src-main/store/current-label.ts, the rule): 'adjudicated'
 * (an adjudicator's decision stands), else 'majority' (two or more annotators; the label with the most votes),
 * else 'unresolved' (a tie: no label); 'single' when one annotator answered (their latest answer), 'none' when
 * nobody did.
 */
export interface ClipVotes {
  clipId: number;
  /** Each annotator's standing answer that names a class (a reject names none), by name. */
  votes: { annotator: string; label: string }[];
  adjudication: { annotator: string; label: string } | null;
  rule: 'none' | 'single' | 'adjudicated' | 'majority' | 'unresolved';
  /** The clip's current label under the rule. */
  label: string | null;
  /** The votes name two or more different classes. */
  disagreement: boolean;
}

/** What `projects.merge` did (src-main/store/merge.ts), per copy and in all. */
export interface MergeResult {
  sources: {
    file: string;
    /** Every decision in the copy's history, undos included. */
    decisions: number;
    /** Undos and the answers they took back: resolved in the copy, not merged. */
    undone: number;
    added: number;
    /** Already in the open project (skipped). */
    alreadyThere: number;
    /** Decisions on clips the open project does not have (matched by content hash and segment). */
    unmatched: number;
    /** Decisions naming a class the open project has renamed or merged since: merged under its name now. */
    renamed: number;
  }[];
  added: number;
  classesAdded: string[];
  clipsTouched: number;
}

/** The triplet thresholds of one class (eqs. 1-3). */
export interface ClassThresholdInfo {
  name: string;
  eta: number;
  mu: number;
  delta: number;
}

/** A model version without its weights. */
export interface ModelSummary {
  id: number;
  parentId: number | null;
  name: string;
  createdAt: string;
  classes: string[];
  active: boolean;
  /** The settings it was made with (encoder, ε, ρ, head, PAD options, fine-tuning). */
  settings: Record<string, unknown>;
  metrics: ModelMetrics;
}

export interface ModelDetails extends ModelSummary {
  epsilon: number;
  rho: number;
  thresholds: ClassThresholdInfo[];
}

export interface ClipPrediction {
  clipId: number;
  versionId: number;
  classes: string[];
  probabilities: number[];
  decision: Decision;
  /** Thresholds of the version's classes, in class order. */
  thresholds: ClassThresholdInfo[];
  /** PAD point (eq. 4 by default) and the nearest table terms to it (eq. 5). */
  pad: Pad | null;
  nearest: { name: string; distance: number }[];
  /**
   * The open-set detectors' verdicts beside the triplet decision: the fused detector first (`flags`: what Discover
   * groups; absent in versions made before it), then MSP and Mahalanobis; absent in versions made before they were stored.
   */
  detectors?: DetectorVerdict[];
}

/**
 * One detector's verdict on a clip: score > threshold → unknown (the fused detector's threshold from simulated
 * unknowns on the training speakers; MSP's and Mahalanobis' from the version's training clips).
 */
export interface DetectorVerdict {
  name: string;
  score: number;
  threshold: number;
  unknown: boolean;
  /** The detector that flags clips for Discover (the fused detector; its threshold from simulated unknowns). */
  flags?: boolean;
  /**
   * The fused detector's per-speaker normalisation of this clip: its members' (MSP, OpenMax, Mahalanobis) mean
   * and sd over its speaker's clips in the project, or over all of them (`over: 'all'`) when the speaker has
   * too few clips or the clip has none.
   */
  normalisation?: { over: 'speaker' | 'all'; speaker: string | null; n: number; mean: number[]; sd: number[] };
}

export type DecisionMatrix = Record<DecisionKind, Record<DecisionKind, number>>;

/** What new ε, ρ would do to a version's predictions (from their stored probabilities; no model run). */
export interface ThresholdPreview {
  versionId: number;
  classes: string[];
  /** The version's own ε, ρ and the proposed ones. */
  current: { epsilon: number; rho: number };
  proposed: { epsilon: number; rho: number };
  /** Thresholds of each class under the proposed ε, ρ (η does not depend on them). */
  thresholds: ClassThresholdInfo[];
  predicted: number;
  before: DecisionCounts;
  after: DecisionCounts;
  /** transitions[old kind][new kind]: clip counts; the diagonal is the clips that stay. */
  transitions: DecisionMatrix;
  /** Clips whose decision kind changes. */
  changed: number;
}

export interface BatchAcceptResult {
  dryRun: boolean;
  /** The active version whose decisions are accepted; null when there is no model. */
  versionId: number | null;
  /** Clips that qualify (dry run) or were accepted. */
  count: number;
  /** Up to `sampleSize` (12) of them, least confident first (the likeliest to be wrong, to listen to first): name, label, confidence. */
  sample: { clipId: number; name: string; label: string; confidence: number }[];
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number;
  message: string;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** job.progress payload: the generic fields, plus what a training job adds. */
export interface JobProgressEvent extends JobProgress {
  state?: JobState;
  stage?: string;
  epoch?: number;
  loss?: number;
  accuracy?: number;
  /** The version a finished training job wrote. */
  versionId?: number;
  error?: string;
  /** Execution provider the job's embedding run computed on (sent once, when embedding ends, with the two below). */
  provider?: string;
  clipsPerSec?: number;
  encoder?: string;
  /** With the provider: the device the run asked for, and why a GPU request ran on the CPU (see `LastProvider`). */
  requested?: EmbeddingDevice;
  fallback?: string;
  /** A finished import job's report: what was added and every file that failed, with the reason. */
  importReport?: ImportJobReport;
}

export interface ImportJobReport {
  source: string;
  total: number;
  added: number;
  skippedDuplicates: number;
  errors: { file: string; reason: string }[];
  /** Files of the folder left out (an unsupported format such as AAC .m4a, or not audio), with the reason. */
  skipped?: { file: string; reason: string }[];
  /** What reading the source guessed that the user should know (resolveSource's warnings: a folder mixing
   * naming schemes, files that follow no naming); absent when there is nothing to say. */
  warnings?: string[];
  cancelled: boolean;
  /** Long recordings cut into utterances by the VAD (each utterance a clip), and those kept whole and why. */
  recordings?: { cut: number; utterances: number; kept: { file: string; reason: string }[] };
}

/** Min/max waveform peaks of a clip's whole audio file, computed in main (src-main/engine/display/peaks.ts). */
export interface ClipPeaks {
  /** SHA-256 of the file (the cache key). */
  hash: string;
  /** Of the whole file (a segment clip's region lies inside it). */
  durationSec: number;
  sampleRate: number;
  channels: number;
  /** Buckets per second of audio actually used (lowered for long files). */
  pixelsPerSecond: number;
  /** Interleaved [min0, max0, min1, max1, …] over all channels, in [-1, 1]. */
  peaks: number[];
}

/**
 * Spectrogram of a clip's audio file (or a range of it), computed in main (src-main/engine/display/spectrogram.ts) in the
 * format wavesurfer's spectrogram plugin draws from `frequenciesDataUrl` (with `sampleRate`).
 */
export interface ClipSpectrogram {
  /** SHA-256 of the file (the cache key). */
  hash: string;
  /** Of the whole file. */
  durationSec: number;
  sampleRate: number;
  /** The range of the file the columns cover, in seconds. */
  startSec: number;
  endSec: number;
  /** Hann window length; `frames[c]` has fftSize / 2 bins, bin k at k · sampleRate / fftSize Hz. */
  fftSize: number;
  /** 255 is the loudest cell (maxDb), 0 is rangeDb below it or quieter. */
  rangeDb: number;
  /** dB re full-scale power of the loudest cell; null for digital silence (all 0). */
  maxDb: number | null;
  /** columns (equal time slices of the range) × bins, integers 0..255. */
  frames: number[][];
}

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
  /** False when the file is no longer there. */
  exists: boolean;
}

/** labels.changed payload: answers (one, many, a batch accept) changed the current label of `count` clips. */
export interface LabelsChangedEvent {
  count: number;
}

export interface ModelChangedEvent {
  activeId: number | null;
  /** The version that was written or activated. */
  versionId: number | null;
  reason: 'trained' | 'finetuned' | 'activated' | 'rethresholded';
}

/** One group of similar unknown clips (src-main/pipeline/discover.ts). */
export interface UnknownCluster {
  /** 1-based, largest group first. */
  id: number;
  /** In listening order: the most typical clip (the medoid) first, the most doubtful last. */
  clipIds: number[];
  /** Mean PAD point of its clips. */
  pad: Pad;
  /**
   * Nearest words to that point, the model's classes left out: the project's classes the model does not
   * know ('class'), then the paper's Table 1 ('common'), then the full table ('table') only to fill three. A
   * suggestion, not a verdict; distance on Table 1's -4..+4 scale.
   */
  suggestions: { name: string; distance: number; source: 'class' | 'common' | 'table' }[];
  /** Current labels of its clips (imported or annotated); '' counts unlabelled clips. */
  labels: Record<string, number>;
  /** Bootstrap stability in [0, 1]: how often the group comes back when 80 % of the clips are grouped again. */
  stability: number;
  /** Mean cosine distance between its clips (how tight it is). */
  spread: number;
}

export interface DiscoverResult {
  /** The version whose unknowns were grouped; null when the project has no model yet. */
  versionId: number | null;
  classes: string[];
  /** Clips that met the filter, and those grouped or left single (the others had no embedding or PAD point). */
  flagged: number;
  /**
   * What flagged them: the version's fused detector, or the triplet rule (versions without one, or a request
   * naming decision kinds). `tripletOnly`: clips the triplet rule calls unknown that the fused detector does
   * not flag (they are not grouped; Review still lists them as unknown).
   */
  /** `labelledKnown`: flagged clips already labelled with a class the model knows, not grouped. */
  flaggedBy?: { detector: 'fusion' | 'triplet'; label: string; reason?: string; tripletOnly?: number; labelledKnown?: number };
  clustered: number;
  clusters: UnknownCluster[];
  /** Clips close to no group: reviewed one by one. */
  singles: number[];
  /** Every clip's PAD point and group id (0: single), for the PAD plot. */
  points: { clipId: number; pad: Pad; cluster: number }[];
}

/** What a class rename or merge changed. */
export interface ClassChangeResult {
  from: string;
  to: string;
  /** Clips whose label changed. */
  clips: number;
  /** Clips that got an appended annotation (the rest changed through their import label). */
  annotated: number;
  /** The old class stays, with no clip, while a model version or a standing answer names it. */
  keptOldClass: boolean;
}

/** Result type of every method. */
export interface MethodResults {
  'app.info': AppInfo;
  'app.setAnnotator': { annotator: string };
  'app.setDevice': { device: EmbeddingDevice };
  'project.current': ProjectInfo | null;
  'clips.list': { rows: ClipRow[]; total: number };
  'clips.get': Clip;
  /** `formerNames`: names this class had before a rename or merge (a model version may still know it by them). */
  'classes.list': { classes: (EmotionClass & { clips: number; formerNames?: string[] })[] };
  'classes.delete': { deleted: string };
  'classes.rename': ClassChangeResult;
  'classes.merge': ClassChangeResult;
  'annotations.add': { annotation: Annotation; currentLabel: string | null; reviewed: boolean };
  'annotations.history': { annotations: Annotation[] };
  'annotations.addMany': { count: number; clips: { clipId: number; currentLabel: string | null; reviewed: boolean }[] };
  'annotations.annotators': { annotators: { name: string; clips: number }[] };
  'agreement.report': AgreementResult;
  'annotations.votes': { clips: ClipVotes[] };
  'discover.clusters': DiscoverResult;
  'models.list': { versions: ModelSummary[]; activeId: number | null };
  'models.get': ModelDetails;
  'models.train': { jobId: string };
  'models.finetune': { jobId: string };
  'models.activate': { activeId: number };
  'models.previewThresholds': ThresholdPreview;
  'models.applyThresholds': { version: ModelSummary; preview: ThresholdPreview };
  'annotations.batchAccept': BatchAcceptResult;
  'labels.estimate': LabelsEstimate;
  'jobs.get': JobInfo;
  'jobs.cancel': { cancelled: boolean };
  'predictions.forClip': ClipPrediction | null;
  'pad.table': { terms: PadTerm[] };
  'clips.peaks': ClipPeaks;
  'clips.spectrogram': ClipSpectrogram;
  'projects.recent': { projects: RecentProject[] };
  'projects.create': ProjectInfo;
  'projects.open': ProjectInfo;
  'projects.import': { jobId: string };
  'projects.merge': MergeResult;
}

export type Method = keyof typeof methodSchemas;
export type MethodArgs<M extends Method> = v.InferInput<(typeof methodSchemas)[M]>;
export type MethodResult<M extends Method> = MethodResults[M];

/** Events main pushes to the renderer. */
export interface StudioEvents {
  'job.progress': JobProgressEvent;
  'project.changed': ProjectInfo;
  'model.changed': ModelChangedEvent;
  'labels.changed': LabelsChangedEvent;
}

export const STUDIO_EVENTS: readonly StudioEvent[] = ['job.progress', 'project.changed', 'model.changed', 'labels.changed'];
export type StudioEvent = keyof StudioEvents;

/** The renderer's view of the API, identical on both transports. */
export interface StudioApi {
  call<M extends Method>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  on<E extends StudioEvent>(event: E, listener: (payload: StudioEvents[E]) => void): () => void;
  /** A URL the renderer can give an <audio> element or wavesurfer for this clip. */
  audioUrl(clipId: number): string;
}

export type ApiErrorCode = 'bad-request' | 'not-found' | 'no-project' | 'conflict' | 'internal';

/** The error shape every transport carries back; thrown in the renderer as ApiError. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methodSchemas, name);
}

/** Validates raw arguments for a method; throws ApiError('bad-request') naming the first problem. */
export function parseArgs<M extends Method>(method: M, raw: unknown): v.InferOutput<(typeof methodSchemas)[M]> {
  if (Array.isArray(raw)) throw new ApiError('bad-request', `${method}: arguments: Invalid type: Expected Object but received Array`);
  const result = v.safeParse(methodSchemas[method], raw);
  if (!result.success) {
    const issue = result.issues[0];
    // Messages quote what was received: an oversized key or value must not come back (or reach a log) whole.
    const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
    const where = clip(issue.path?.map((p) => String(p.key)).join('.') || 'arguments', 200);
    throw new ApiError('bad-request', `${method}: ${where}: ${clip(issue.message, 300)}`);
  }
  return result.output as v.InferOutput<(typeof methodSchemas)[M]>;
}

/** Largest request body either transport accepts. */
export const MAX_REQUEST_BYTES = 1_000_000;
