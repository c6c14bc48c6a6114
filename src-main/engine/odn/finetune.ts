// Fine-tuning a grown head (paper section 3.3): train on the new class's clips plus a replay sample of known
// clips (so the known classes are not forgotten), with a higher learning rate for the new columns. By default
// the hidden layer of an MLP is frozen (few new clips; only the output layer grew). Afterwards thresholds must
// be recomputed for the new class list: `rethreshold`.

import type { FitReport, Head } from './head';
import { makeRng, shuffleInPlace } from './rng';
import type { Labels, Rows } from './rows';
import { computeThresholds, type ThresholdSettings, type TripletThresholds } from './thresholds';

export interface FinetuneSettings {
  epochs: number;
  /** Learning-rate multiplier of the new columns (known columns get 1). */
  newColumnLrScale: number;
  /** Learning-rate multiplier of the hidden layer (0 = frozen). */
  hiddenLrScale: number;
  /** Known clips replayed per known class (all of a class when it has fewer). */
  replayPerClass: number;
  seed: number;
}

export const DEFAULT_FINETUNE_SETTINGS: FinetuneSettings = {
  epochs: 60,
  newColumnLrScale: 10,
  hiddenLrScale: 0,
  replayPerClass: 30,
  seed: 3,
};

export interface FinetuneData {
  /** Clips of the new class(es) and their labels (indices of the new columns). */
  newX: Rows;
  newY: Labels;
  /** Known clips to sample the replay from, with their labels. */
  knownX: Rows;
  knownY: Labels;
}

export interface FinetuneResult {
  head: Head;
  report: FitReport;
  /** Indices into knownX that were replayed. */
  replayIndices: number[];
}

/** Seeded sample of up to `perClass` indices of each class, in index order. */
export function replaySample(y: Labels, perClass: number, seed: number): number[] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const a = byClass.get(y[i]);
    if (a) a.push(i);
    else byClass.set(y[i], [i]);
  }
  const rng = makeRng(seed);
  const out: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = byClass.get(c)!;
    shuffleInPlace(idx, rng);
    out.push(...idx.slice(0, perClass));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Fine-tunes a copy of `grown` (the input is left unchanged). Columns that appear in newY are the "new"
 * columns and learn `newColumnLrScale` times faster.
 */
export function finetune(
  grown: Head,
  data: FinetuneData,
  settings: Partial<FinetuneSettings> = {},
  hooks: { onEpoch?: (epoch: number, loss: number, accuracy: number) => void; shouldAbort?: () => boolean } = {},
): FinetuneResult {
  const s = { ...DEFAULT_FINETUNE_SETTINGS, ...settings };
  if (data.newX.length === 0) throw new Error('no clips of the new class');
  if (data.newX.length !== data.newY.length || data.knownX.length !== data.knownY.length) throw new Error('rows and labels differ in length');
  const C = grown.nClasses_;
  const newCols = new Set(Array.from(data.newY));
  for (const c of newCols) if (!(c >= 0 && c < C)) throw new Error(`new label ${c} is not a column of the grown head (${C} classes)`);
  const replayIndices = replaySample(data.knownY, s.replayPerClass, s.seed);
  const X = [...Array.from(data.newX), ...replayIndices.map((i) => data.knownX[i])];
  const y = Int32Array.from([...Array.from(data.newY), ...replayIndices.map((i) => data.knownY[i])]);
  const colLr = Array.from({ length: C }, (_, c) => (newCols.has(c) ? s.newColumnLrScale : 1));
  const head = grown.clone();
  const report = head.fit(X, y, {
    warmStart: true,
    epochs: s.epochs,
    columnLrScale: colLr,
    hiddenLrScale: s.hiddenLrScale,
    onEpoch: hooks.onEpoch,
    shouldAbort: hooks.shouldAbort,
  });
  return { head, report, replayIndices };
}

/** Thresholds recomputed for a (fine-tuned) head on labelled clips of all its classes. */
export function rethreshold(head: Head, X: Rows, y: Labels, settings: Partial<ThresholdSettings> = {}): TripletThresholds {
  return computeThresholds(head.predictProba(X), y, settings);
}
