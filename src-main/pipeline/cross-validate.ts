// Known-class accuracy measured on clips the head did not train on: leave-one-speaker-out when the training
// clips come from ≥ 2 speakers (the honest number for new speakers), else seeded stratified k-fold.
import { unweightedAccuracy, weightedAccuracy } from '../engine/metrics';
import { Head, makeRng, shuffleInPlace, type HeadSettings } from '../engine/odn';
import { checkCancelled } from './project-data';
import type { ModelMetrics, RunHooks } from './types';

export function crossValidate(
  X: readonly Float32Array[],
  y: Int32Array,
  speakers: readonly (string | null)[],
  nClasses: number,
  headSettings: HeadSettings,
  opts: { kFolds: number } & RunHooks,
): ModelMetrics['cv'] {
  const distinct = [...new Set(speakers.filter((s): s is string => s !== null))];
  const bySpeaker = distinct.length >= 2 && speakers.every((s) => s !== null);
  const fold = new Int32Array(X.length);
  let nFolds: number;
  if (bySpeaker) {
    const of = new Map(distinct.map((s, i) => [s, i]));
    speakers.forEach((s, i) => (fold[i] = of.get(s as string)!));
    nFolds = distinct.length;
  } else {
    nFolds = Math.min(opts.kFolds, X.length);
    if (nFolds < 2) return null;
    // Stratified: each class's clips are dealt round-robin over the folds after a seeded shuffle.
    const rng = makeRng(11);
    for (let c = 0; c < nClasses; c++) {
      const idx = [...y.keys()].filter((i) => y[i] === c);
      shuffleInPlace(idx, rng);
      idx.forEach((i, r) => (fold[i] = r % nFolds));
    }
  }
  const truth: number[] = [];
  const pred: number[] = [];
  for (let f = 0; f < nFolds; f++) {
    checkCancelled(opts);
    opts.onProgress?.({ stage: 'cross-validate', done: f, total: nFolds, message: `cross-validation fold ${f + 1} of ${nFolds}` });
    const tr = [...fold.keys()].filter((i) => fold[i] !== f);
    const te = [...fold.keys()].filter((i) => fold[i] === f);
    const trY = Int32Array.from(tr, (i) => y[i]);
    if (te.length === 0 || new Set(trY).size < 2) continue;
    const head = new Head(headSettings);
    head.fit(tr.map((i) => X[i]), trY, { nClasses, shouldAbort: opts.shouldAbort });
    checkCancelled(opts);
    const p = head.predict(te.map((i) => X[i]));
    te.forEach((i, k) => {
      truth.push(y[i]);
      pred.push(p[k]);
    });
  }
  if (truth.length === 0) return null;
  return {
    scheme: bySpeaker ? 'leave-one-speaker-out' : 'k-fold',
    folds: nFolds,
    accuracy: weightedAccuracy(truth, pred),
    uar: unweightedAccuracy(truth, pred),
  };
}
