// Every knob of the evaluation in one serialisable object, echoed into the report's "settings".
import { DETECTOR_HEAD_OVERRIDES, DISCOVERY_DEFAULTS } from '../../shared/defaults';
import { DEFAULT_HEAD_SETTINGS, type HeadSettings } from '../engine/odn/head';
import type { StandardizeMode } from '../engine/odn/standardize';
import type { PadTableId } from '../../shared/pad-tables';

/**
 * Detectors scored in every fold (engine/detectors; notes and sources in docs/eval/README.md). 'msp+mahalanobis'
 * averages the two scores' calibrated ranks; 'fusion' does the same over msp, openmax and mahalanobis;
 * 'fusion-auto' over the single detector, pair or triple of score detectors with the best simulated AUROC on
 * the training speakers (chosen per fold).
 */
export const DETECTORS = [
  'triplet',
  'triplet-tuned',
  'msp',
  'msp-t',
  'energy',
  'openmax',
  'mahalanobis',
  'gaussian-pca',
  'knn',
  'vim',
  'msp+mahalanobis',
  'fusion',
  'fusion-auto',
] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** Settings of the detectors with one (fixed a priori, not tuned on EmoDB; see docs/eval/README.md). */
export interface DetectorSettings {
  /** k of the k-th nearest neighbour distance (Sun et al. 2022). */
  knnK: number;
  /** ViM's principal subspace holds this share of the training rows' second moment. */
  vimVarianceFraction: number;
  /** Principal axes of the class-Gaussian detector's reduced space. */
  gaussianDims: number;
  /** Weight of the pooled within-class covariance in each class's covariance (class-Gaussian detector). */
  gaussianShrinkage: number;
}

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = { knnK: 10, vimVarianceFraction: 0.9, gaussianDims: 16, gaussianShrinkage: 0.5 };

/**
 * PAD labelling variants, each naming every truly-unknown test clip:
 * - convex: eq. 4 (probability-weighted mix of the known classes' vectors), eq. 5 over the whole table;
 * - convex-novel: eq. 4, candidates without the known classes' own words;
 * - ridge-novel: features → PAD ridge regression trained on known clips, candidates without known words;
 * - ridge-cluster: the unknown clips clustered, each cluster named by its mean ridge PAD point (no known words).
 */
export const LABELLING_VARIANTS = ['convex', 'convex-novel', 'ridge-novel', 'ridge-cluster'] as const;
export type LabellingVariant = (typeof LABELLING_VARIANTS)[number];

export interface EvaluationSettings {
  /** Class names treated as unknown: absent from training, to be detected, named and learned. */
  unknown: string[];
  standardize: StandardizeMode;
  head: Partial<HeadSettings>;
  /**
   * Overrides of `head` for the head the detectors look at (null: the classifier head itself). A strongly
   * regularised head gives better-calibrated probabilities for rejecting unknowns, while a lightly
   * regularised one classifies the known classes better; measured on EmoDB (docs/eval/README.md).
   */
  detectorHead: Partial<HeadSettings> | null;
  /** The detector that drives discovery and both incremental modes. */
  detector: DetectorName;
  /** Score detectors' scores as they are, or z-scored within each speaker (its own clips, no label). */
  scoreNorm: 'none' | 'per-speaker';
  detectors: DetectorSettings;
  /** The PAD variant used to name new classes in the automatic mode. */
  labelling: 'convex' | 'ridge';
  padTable: PadTableId;
  /** Ridge λ of the features → PAD regressor. */
  ridgeLambda: number;
  /** Inner folds over training speakers for simulated unknowns (threshold choice). */
  innerFolds: number;
  /**
   * Probabilities the triplet thresholds' statistics (η, mean margin; eqs. 1-3) come from: 'train' = the head's
   * own training clips (the paper's reading; over-confident), 'heldout' = out-of-fold probabilities of the
   * training clips under heads fitted on the other inner folds (per training speaker). The paper leaves it open.
   */
  thresholdSource: 'train' | 'heldout';
  /**
   * What flagged clips are clustered on: the standardized features, or the known-class head's logits (a
   * low-dimensional space shaped by the known emotions, where silhouettes mean more than in hundreds of dims).
   */
  clusterSpace: 'features' | 'logits';
  /** Cluster on the rows as they are ('euclidean') or on unit-length rows ('cosine'). */
  clusterDistance: 'euclidean' | 'cosine';
  /** A clustering with a cluster smaller than this is not considered when choosing k. */
  minClusterSizeForK: number;
  /** Automatic mode: a cluster becomes a class only when its own mean silhouette reaches this. */
  minClusterSilhouette: number;
  /** Largest k tried when clustering flagged clips. */
  maxClusters: number;
  /**
   * Discovery's groups (`unknown_discovery`): every fold's flagged clips pooled, as the studio's Discover sees
   * a project's unknowns, grouped on the label heads' logits (engine/discovery/groups.ts).
   */
  groupCut: number;
  minGroupSize: number;
  /** Clusters smaller than this do not become a class in the automatic mode. */
  minClusterSize: number;
  /** Automatic mode: skip clusters whose PAD point is nearest (over the whole table) to a known class's word. */
  automaticGate: boolean;
  finetuneEpochs: number;
  newColumnLrScale: number;
  replayPerClass: number;
  seed: number;
}

/**
 * Defaults chosen by the measurements in docs/eval/README.md (EmoDB, leave-one-speaker-out); the heads' and
 * discovery's are the studio's own (shared/defaults.ts, engine/odn/head.ts), with fewer epochs.
 */
export const DEFAULT_EVALUATION_SETTINGS: EvaluationSettings = {
  unknown: [],
  standardize: 'per-speaker',
  head: { hidden: DEFAULT_HEAD_SETTINGS.hidden, epochs: 100, l2: DEFAULT_HEAD_SETTINGS.l2 },
  detectorHead: { ...DETECTOR_HEAD_OVERRIDES },
  // Chosen by the mean F1 over all 21 pairs of EmoDB's classes as the unknowns (docs/eval/README.md, "Detectors
  // over every pair of unknowns"), not by disgust + fear alone: fusion on per-speaker z-scored scores, 0.500.
  detector: 'fusion',
  scoreNorm: 'per-speaker',
  detectors: { ...DEFAULT_DETECTOR_SETTINGS },
  labelling: 'ridge',
  padTable: 'eodn',
  ridgeLambda: 10,
  innerFolds: 3,
  thresholdSource: 'train',
  clusterSpace: DISCOVERY_DEFAULTS.space,
  clusterDistance: DISCOVERY_DEFAULTS.distance,
  minClusterSizeForK: DISCOVERY_DEFAULTS.minClusterSize,
  minClusterSilhouette: 0.25,
  maxClusters: DISCOVERY_DEFAULTS.maxK,
  groupCut: DISCOVERY_DEFAULTS.groupCut,
  minGroupSize: DISCOVERY_DEFAULTS.minGroupSize,
  minClusterSize: 3,
  automaticGate: true,
  finetuneEpochs: 60,
  newColumnLrScale: 10,
  replayPerClass: 30,
  seed: 1,
};

export function resolveSettings(s: Partial<EvaluationSettings>): EvaluationSettings {
  const out = { ...DEFAULT_EVALUATION_SETTINGS, ...s, head: { ...DEFAULT_EVALUATION_SETTINGS.head, ...s.head } };
  if (!['train', 'heldout'].includes(out.thresholdSource)) throw new Error(`thresholdSource must be train or heldout, got "${out.thresholdSource}"`);
  if (!['none', 'per-speaker'].includes(out.scoreNorm)) throw new Error(`scoreNorm must be none or per-speaker, got "${out.scoreNorm}"`);
  out.detectors = { ...DEFAULT_DETECTOR_SETTINGS, ...s.detectors };
  if (!DETECTORS.includes(out.detector)) throw new Error(`unknown detector "${out.detector}" (one of ${DETECTORS.join(', ')})`);
  if (out.unknown.length === 0) throw new Error('name at least one unknown class');
  return out;
}
