// Domain types (and the decision kinds) shared by the engine, the store, the API and the renderer.
// One name for one idea across layers: a `Decision` here is a `Decision` in the database and the UI.
// No Node or DOM imports in this folder.

/** A point in PAD space: pleasure, arousal, dominance (on the paper's -4..+4 scale). */
export type Pad = readonly [p: number, a: number, d: number];

/** One row of a PAD table: a named standard emotion vector. */
export interface PadTerm {
  name: string;
  pad: Pad;
  source: string;
}

/** A clip: one utterance, either a whole file or a segment of a longer recording. */
export interface Clip {
  id: number;
  /** Absolute path of the audio file. */
  path: string;
  /** SHA-256 of the file's bytes (hex); the clip's identity across moves and re-imports. */
  hash: string;
  durationSec: number;
  sampleRate: number;
  channels: number;
  /** Segment offsets inside the file, seconds; null for a whole-file clip. */
  segmentStartSec: number | null;
  segmentEndSec: number | null;
  speaker: string | null;
  /** Label given at import (from folder, manifest or file name), if any. */
  importLabel: string | null;
  /** Dimensional labels from the dataset, if it has them. */
  importPad: Pad | null;
  /** True when the file could not be found at its path on the last check. */
  missing: boolean;
}

/**
 * The four outcomes of the triplet rule (engine/odn/decide.ts), the one list of them: the type, the API's
 * schemas and the counts derive from it; the predictions table's CHECK (store/migrations.ts, v1) must equal it.
 */
export const DECISION_KINDS = ['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** The triplet-threshold decision for one clip, with the numbers that made it (paper eqs. 1-3). */
export interface Decision {
  kind: DecisionKind;
  /** Index of the top-1 class in the model's class list. */
  top1: number;
  top2: number;
  p1: number;
  p2: number;
  eta: number;
  mu: number;
  delta: number;
  /** The label the decision gives: a class name for accepted, null for unknown. */
  label: string | null;
  /** One line a person can read. */
  reason: string;
}

export type AnnotationAction = 'accept' | 'reject' | 'relabel' | 'new-class' | 'undo';

/** One entry of a clip's append-only annotation history. */
export interface Annotation {
  id: number;
  clipId: number;
  annotator: string;
  action: AnnotationAction;
  label: string | null;
  /** The model version whose prediction this answered, if any. */
  modelVersionId: number | null;
  createdAt: string;
  /** Present (true) on an adjudicator's decision where annotators disagreed (it decides the clip's label). */
  adjudicated?: true;
}

export type ClassOrigin = 'import' | 'discovered' | 'manual';

export interface EmotionClass {
  name: string;
  pad: Pad | null;
  origin: ClassOrigin;
  createdAt: string;
}

/** What the library list shows for one clip. */
export interface ClipRow {
  id: number;
  name: string;
  durationSec: number;
  speaker: string | null;
  importLabel: string | null;
  currentLabel: string | null;
  reviewed: boolean;
  decision: DecisionKind | null;
  confidence: number | null;
  /** The active model's top-1 class (its guess also for an unknown; under the class's name now); null without a prediction. */
  predicted?: string | null;
  missing: boolean;
}

export interface ProjectInfo {
  path: string;
  name: string;
  clipCount: number;
  classes: EmotionClass[];
  speakers: string[];
  createdAt: string;
  /** Why the project is open read-only (file or folder not writable), or null when answers can be saved. */
  readOnly: string | null;
}

export interface ImportError {
  file: string;
  reason: string;
}

export interface ImportReport {
  added: number;
  skippedDuplicates: number;
  errors: ImportError[];
  /** Files of the imported folder left out (an unsupported format such as AAC, or not audio), with the reason. */
  skipped: ImportError[];
}

export interface JobProgress {
  jobId: string;
  kind: string;
  done: number;
  total: number;
  message: string;
  /** Items per second so far, when meaningful. */
  rate?: number;
  etaSec?: number;
}
