// Accuracy measured on clips the head did not train on: leave-one-speaker-out when the training clips come
// from ≥ 2 speakers (the honest number for new speakers), else seeded stratified k-fold. `crossValidate` scores
// a freshly trained head (train-model.ts); `crossValidateFinetune` scores the incremental step the same way:
// per fold a head trained on the other folds' known clips is grown by eq. 6 and fine-tuned on the other folds'
// new-class clips, then judged on the fold's own clips (finetune-model.ts). Both also fit the version's
// calibration map from the same held-out predictions: each clip's top-1 probability and whether top-1 was
// right (engine/metrics/calibration.ts), which the estimate of labels right reads (labels-estimate.ts).
import type { ConfidenceCalibration } from '../../shared/api';
import type { Pad } from '../../shared/domain';
import { heldOutCalibration, unweightedAccuracy, weightedAccuracy } from '../engine/metrics';
import { argmax, finetune, growHead, Head, makeRng, shuffleInPlace, type FinetuneSettings, type GrowWeighting, type HeadSettings } from '../engine/odn';
import { checkCancelled } from './project-data';
import type { ModelMetrics, RunHooks } from './types';

type Scheme = 'leave-one-speaker-out' | 'k-fold';

/**
 * Fold of every clip: one per speaker when `bySpeaker` allows it (≥ 2 speakers, none missing), else `kFolds`
 * (at most one per clip) stratified: each class's clips dealt round-robin over the folds after a seeded shuffle.
 * Null when there are fewer than 2 folds.
 */
export function assignFolds(
  y: Int32Array,
  speakers: readonly (string | null)[],
  nClasses: number,
  kFolds: number,
  bySpeakerAllowed = true,
): { scheme: Scheme; fold: Int32Array; nFolds: number } | null {
  const distinct = [...new Set(speakers.filter((s): s is string => s !== null))];
  const fold = new Int32Array(y.length);
  if (bySpeakerAllowed && distinct.length >= 2 && speakers.every((s) => s !== null)) {
    const of = new Map(distinct.map((s, i) => [s, i]));
    speakers.forEach((s, i) => (fold[i] = of.get(s as string)!));
    return { scheme: 'leave-one-speaker-out', fold, nFolds: distinct.length };
  }
  const nFolds = Math.min(kFolds, y.length);
  if (nFolds < 2) return null;
  const rng = makeRng(11);
  for (let c = 0; c < nClasses; c++) {
    const idx = [...y.keys()].filter((i) => y[i] === c);
    shuffleInPlace(idx, rng);
    idx.forEach((i, r) => (fold[i] = r % nFolds));
  }
  return { scheme: 'k-fold', fold, nFolds };
}

/** Held-out predictions' top-1 probabilities, whether top-1 was right, and the fold that held each clip out. */
class HeldOutTop1 {
  readonly p1: number[] = [];
  readonly right: boolean[] = [];
  readonly fold: number[] = [];

  /** Adds a fold's probabilities; returns each clip's top-1 class. */
  add(probs: readonly Float64Array[], truth: ArrayLike<number>, fold: number): number[] {
    return probs.map((p, k) => {
      const am = argmax(p);
      this.p1.push(p[am]);
      this.right.push(am === truth[k]);
      this.fold.push(fold);
      return am;
    });
  }

  calibration(scheme: ConfidenceCalibration['scheme']): ConfidenceCalibration | null {
    const c = heldOutCalibration(this.p1, this.right, this.fold);
    return c && { map: c.map, clips: c.clips, scheme, eceRaw: c.eceRaw, ece: c.ece };
  }
}

/**
 * The detection head's held-out accuracy (`cv`) and its calibration map, fitted on the same held-out clips
 * (null with fewer than MIN_CALIBRATION_CLIPS of them).
 */
export function crossValidate(
  X: readonly Float32Array[],
  y: Int32Array,
  speakers: readonly (string | null)[],
  nClasses: number,
  headSettings: HeadSettings,
  opts: { kFolds: number } & RunHooks,
): { cv: ModelMetrics['cv']; calibration: ConfidenceCalibration | null } {
  const plan = assignFolds(y, speakers, nClasses, opts.kFolds);
  if (!plan) return { cv: null, calibration: null };
  const { fold, nFolds } = plan;
  const truth: number[] = [];
  const pred: number[] = [];
  const top1 = new HeldOutTop1();
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
    const p = top1.add(head.predictProba(te.map((i) => X[i])), te.map((i) => y[i]), f);
    te.forEach((i, k) => {
      truth.push(y[i]);
      pred.push(p[k]);
    });
  }
  if (truth.length === 0) return { cv: null, calibration: null };
  return {
    cv: {
      scheme: plan.scheme,
      folds: nFolds,
      accuracy: weightedAccuracy(truth, pred),
      uar: unweightedAccuracy(truth, pred),
      clips: truth.length,
    },
    calibration: top1.calibration(plan.scheme),
  };
}

export interface FinetuneCvInput {
  /** Clips of the base version's classes (0..C-1) and of the new class, standardized, with their speakers. */
  knownX: readonly Float32Array[];
  knownY: Int32Array;
  knownSpeakers: readonly (string | null)[];
  newX: readonly Float32Array[];
  newSpeakers: readonly (string | null)[];
  /** Settings of the head that decides (the base's detection head), trained from scratch in every fold. */
  headSettings: HeadSettings;
  /** f of eq. 6 and the known classes' PAD points. */
  pad: Pad;
  knownPads: readonly Pad[];
  weighting: GrowWeighting;
  finetune: FinetuneSettings;
  kFolds: number;
}

/**
 * Held-out forgetting and learning of one incremental step. Per fold: "before" = a head trained from scratch
 * on the other folds' known clips, scored on the fold's known clips; "after" = that head grown by eq. 6 and
 * fine-tuned on the other folds' new-class clips (+ replay), scored on the fold's known and new clips.
 * Leave-one-speaker-out when the new class has clips of ≥ 2 speakers (else a fold could hold all of them),
 * else stratified k-fold over all C + 1 classes. A fold whose training part lacks the new class, or has fewer
 * than 2 known classes, is skipped: `knownClips`/`newClips` count the clips actually scored. `cv` is the
 * grown heads' accuracy over all scored clips, every class.
 */
export function crossValidateFinetune(
  inp: FinetuneCvInput,
  hooks: RunHooks = {},
): { forgetting: NonNullable<ModelMetrics['forgetting']>; cv: ModelMetrics['cv']; calibration: ConfidenceCalibration | null } | null {
  const C = inp.knownPads.length;
  const X = [...inp.knownX, ...inp.newX];
  const y = Int32Array.from([...inp.knownY, ...new Array<number>(inp.newX.length).fill(C)]);
  const speakers = [...inp.knownSpeakers, ...inp.newSpeakers];
  const newBySpeaker = new Set(inp.newSpeakers).size >= 2;
  const plan = assignFolds(y, speakers, C + 1, inp.kFolds, newBySpeaker);
  if (!plan) return null;
  const { fold, nFolds } = plan;
  const knownT: number[] = [], before: number[] = [], after: number[] = [];
  const allT: number[] = [], allP: number[] = [];
  let newN = 0, newOk = 0, replayed = 0, used = 0;
  const top1 = new HeldOutTop1();
  for (let f = 0; f < nFolds; f++) {
    checkCancelled(hooks);
    hooks.onProgress?.({ stage: 'cross-validate', done: f, total: nFolds, message: `held-out fold ${f + 1} of ${nFolds}` });
    const tr = [...fold.keys()].filter((i) => fold[i] !== f);
    const te = [...fold.keys()].filter((i) => fold[i] === f);
    const trKnown = tr.filter((i) => y[i] < C);
    const trNew = tr.filter((i) => y[i] === C);
    if (te.length === 0 || trNew.length === 0 || new Set(trKnown.map((i) => y[i])).size < 2) continue;
    const base = new Head(inp.headSettings);
    base.fit(trKnown.map((i) => X[i]), Int32Array.from(trKnown, (i) => y[i]), { nClasses: C, shouldAbort: hooks.shouldAbort });
    checkCancelled(hooks);
    const grown = growHead(base, inp.pad, inp.knownPads, inp.weighting).head;
    const r = finetune(
      grown,
      { newX: trNew.map((i) => X[i]), newY: new Int32Array(trNew.length).fill(C), knownX: trKnown.map((i) => X[i]), knownY: Int32Array.from(trKnown, (i) => y[i]) },
      inp.finetune,
      { shouldAbort: hooks.shouldAbort },
    );
    checkCancelled(hooks);
    used++;
    replayed += r.replayIndices.length;
    const teX = te.map((i) => X[i]);
    const pb = base.predict(teX);
    const pa = top1.add(r.head.predictProba(teX), te.map((i) => y[i]), f);
    te.forEach((i, k) => {
      allT.push(y[i]);
      allP.push(pa[k]);
      if (y[i] === C) {
        newN++;
        if (pa[k] === C) newOk++;
      } else {
        knownT.push(y[i]);
        before.push(pb[k]);
        after.push(pa[k]);
      }
    });
  }
  if (used === 0) return null;
  return {
    forgetting: {
      knownAccuracyBefore: knownT.length ? weightedAccuracy(knownT, before) : NaN,
      knownAccuracyAfter: knownT.length ? weightedAccuracy(knownT, after) : NaN,
      newClassAccuracy: newN ? newOk / newN : NaN,
      nNew: inp.newX.length,
      replayed: Math.round(replayed / used), // per fold; finetune-model.ts reports the version's own
      heldOut: { scheme: plan.scheme, folds: used, knownClips: knownT.length, newClips: newN },
    },
    cv: { scheme: plan.scheme, folds: used, accuracy: weightedAccuracy(allT, allP), uar: unweightedAccuracy(allT, allP), clips: allT.length },
    calibration: top1.calibration(plan.scheme),
  };
}
