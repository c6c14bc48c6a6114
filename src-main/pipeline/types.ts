// Settings, progress and results of the model pipeline (train, fine-tune, predict), shared by the pipeline,
// the training worker, the API and the CLI.
import type { Pad } from '../../shared/domain';
import type { PadTableId } from '../../shared/pad-tables';
import type { EncoderSpec } from '../engine/encoders/create';
import type { Device } from '../engine/encoders/types';
import type { HeadSettings, MuRule, StandardizeMode } from '../engine/odn';
import type { FinetuneSettings } from '../engine/odn/finetune';

export type TrainStage = 'prepare' | 'embed' | 'standardize' | 'tune' | 'cross-validate' | 'fit' | 'thresholds' | 'predict' | 'save';

/** One progress report of a training or fine-tuning run. */
export interface PipelineProgress {
  stage: TrainStage;
  /** Progress within the stage. */
  done: number;
  total: number;
  message: string;
  epoch?: number;
  loss?: number;
  accuracy?: number;
  /** Stage 'embed', once at its end: the execution provider that computed embeddings (absent when all were cached),
   * the clips it computed per second and the encoder's id. */
  provider?: string;
  clipsPerSec?: number;
  encoder?: string;
  /** With `provider`: the device the run asked for, and why a GPU request ran on the CPU (`gpuFallback`). */
  requested?: Device;
  fallback?: string;
}

/** Where the PAD point stored with each prediction comes from. */
export type PadMethod = 'eq4' | 'ridge';

export interface EmbedRunOptions {
  workerPath?: string;
  workers?: number;
}

export interface RunHooks {
  onProgress?: (p: PipelineProgress) => void;
  signal?: AbortSignal;
  /** Polled inside synchronous loops (mini-batches), where an AbortSignal's event cannot arrive. */
  shouldAbort?: () => boolean;
}

export interface TrainOptions extends RunHooks {
  /** Known classes, in head order; default: every class with ≥ minClipsPerClass clips currently labelled. */
  known?: string[];
  minClipsPerClass?: number;
  encoder?: EncoderSpec;
  /** The label head (the classifier; its logits feed discovery). Default `DEFAULT_HEAD_SETTINGS`. */
  head?: Partial<HeadSettings>;
  /** Overrides of `head` for the detection head, whose probabilities make every decision (default `DETECTOR_HEAD_OVERRIDES`). */
  detectorHead?: Partial<HeadSettings>;
  standardize?: StandardizeMode;
  /**
   * ε and ρ of eqs. 2-3 (default `DEFAULT_EPSILON_RHO`, shared/defaults.ts), or 'tune' (simulated unknowns on the training data; needs ≥ 3
   * classes). With 'tune' the triplet statistics come from held-out probabilities (see ModelSettings).
   */
  epsilonRho?: { epsilon: number; rho: number } | 'tune';
  muRule?: MuRule;
  padTable?: PadTableId;
  padMethod?: PadMethod;
  /** Folds of the known-class cross-validation when there are fewer than 2 speakers (else leave-one-speaker-out). */
  cvFolds?: number;
  /** Measure the held-out accuracy shown with the version (default true; the loop simulator's re-trainings skip it). */
  crossValidate?: boolean;
  /**
   * What flags unknowns: 'fused' (default) fits the fused detector; 'triplet' skips that fit and leaves the
   * triplet rule flagging (the loop simulator, whose loop reads no flags unless it names Discover's groups).
   */
  unknownDetector?: UnknownDetectorChoice;
  name?: string;
  /** Make the new version the active one (default true). */
  activate?: boolean;
  embed?: EmbedRunOptions;
}

export type UnknownDetectorChoice = 'fused' | 'triplet';

/** The settings a version was made with, stored in the version. */
export interface ModelSettings {
  encoder: EncoderSpec;
  known: string[];
  head: HeadSettings;
  /** Settings of the detection head; absent in versions made with one head (then `head` decides). */
  detectorHead?: HeadSettings;
  standardize: StandardizeMode;
  epsilon: number;
  rho: number;
  /** How ε and ρ were chosen. */
  epsilonRhoSource: 'tuned' | 'given' | 'default' | 'inherited';
  muRule: MuRule;
  padTable: PadTableId;
  padMethod: PadMethod;
  /**
   * Probabilities the triplet statistics (η, margins) come from: the detection head's own training clips, as
   * in the paper ('train', with given or default ε, ρ), or out-of-fold probabilities over inner folds of the
   * training speakers ('heldout', with tuned ε, ρ: tuned on the same kind of statistics).
   */
  thresholdSource: 'train' | 'heldout';
  finetune?: FinetuneSettings & { newClass: string; newClassPad: Pad; padSource: string };
}

// What a version measures about itself is part of the API (shared/api.ts): one definition for both.
export type { DecisionCounts, ModelMetrics } from '../../shared/api';
