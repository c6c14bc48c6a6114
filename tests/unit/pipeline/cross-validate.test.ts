// Held-out scores of the incremental step (issue 10): forgetting and new-class accuracy come from heads that
// never saw the clips they score. A "new class" of pure noise shows it: the version's own head memorises its
// clips, the held-out heads cannot recognise them.
import { describe, expect, it } from 'vitest';
import type { Pad } from '../../../shared/domain';
import { DEFAULT_FINETUNE_SETTINGS, finetune, growHead, Head, makeGaussian, makeRng } from '../../../src-main/engine/odn';
import { assignFolds, crossValidateFinetune } from '../../../src-main/pipeline/cross-validate';

const DIM = 40;
const rng = makeRng(4);
const g = makeGaussian(rng);
const centres = [0, 1, 2].map(() => Float64Array.from({ length: DIM }, () => g() * 3));
const knownX: Float32Array[] = [];
const knownY: number[] = [];
const knownSpeakers: string[] = [];
for (const s of ['a', 'b', 'c'])
  centres.forEach((m, c) => {
    for (let i = 0; i < 8; i++) {
      knownX.push(Float32Array.from(m, (v) => v + g()));
      knownY.push(c);
      knownSpeakers.push(s);
    }
  });
const noise = (n: number) => Array.from({ length: n }, () => Float32Array.from({ length: DIM }, () => g() * 3));
const PADS: Pad[] = [[0.5, 0.5, 0.5], [-0.5, -0.5, 0], [0, 0.5, -0.5]];
const headSettings = { hidden: 0, epochs: 80, l2: 1e-3, seed: 1 } as const;

const input = (newX: Float32Array[], newSpeakers: string[]) => ({
  knownX,
  knownY: Int32Array.from(knownY),
  knownSpeakers,
  newX,
  newSpeakers,
  headSettings: { ...new Head(headSettings).settings },
  pad: [-0.6, 0.6, 0.3] as Pad,
  knownPads: PADS,
  weighting: 'paper' as const,
  finetune: DEFAULT_FINETUNE_SETTINGS,
  kFolds: 5,
});

describe('crossValidateFinetune', () => {
  it('scores the new class only on clips its heads were not fine-tuned on', () => {
    const newX = noise(12);
    const newSpeakers = newX.map((_, i) => ['a', 'b', 'c'][i % 3]);
    // The version's own head, fine-tuned on all 12 noise clips, recognises them (it memorised them).
    const base = new Head(headSettings);
    base.fit(knownX, Int32Array.from(knownY), { nClasses: 3 });
    const own = finetune(growHead(base, [-0.6, 0.6, 0.3], PADS).head, { newX, newY: new Int32Array(12).fill(3), knownX, knownY: Int32Array.from(knownY) });
    const onTraining = own.head.predict(newX).filter((p) => p === 3).length / 12;
    expect(onTraining).toBeGreaterThan(0.9);

    const r = crossValidateFinetune(input(newX, newSpeakers))!;
    expect(r.forgetting.heldOut).toEqual({ scheme: 'leave-one-speaker-out', folds: 3, knownClips: 72, newClips: 12 });
    // Noise cannot be recognised on clips held out: far below the training-clip figure.
    expect(r.forgetting.newClassAccuracy).toBeLessThan(onTraining - 0.3);
    // The known classes are separable: held out, they stay well recognised before and after.
    expect(r.forgetting.knownAccuracyBefore).toBeGreaterThan(0.9);
    expect(r.forgetting.knownAccuracyAfter).toBeGreaterThan(0.7);
    expect(r.cv).toMatchObject({ scheme: 'leave-one-speaker-out', folds: 3, clips: 84 });
  });

  it('falls back to stratified k-fold when the new class comes from one speaker', () => {
    const newX = noise(7);
    const r = crossValidateFinetune(input(newX, newX.map(() => 'a')))!;
    expect(r.forgetting.heldOut).toMatchObject({ scheme: 'k-fold', folds: 5, knownClips: 72, newClips: 7 });
    // A single new clip cannot be held out (its fold could not learn the class): that fold is skipped, the
    // new class goes unmeasured and the known clips of the other folds are still scored.
    const one = crossValidateFinetune(input(noise(1), ['a']))!;
    expect(one.forgetting.heldOut).toEqual({ scheme: 'k-fold', folds: 4, knownClips: expect.any(Number), newClips: 0 });
    expect(one.forgetting.heldOut!.knownClips).toBeLessThan(72);
    expect(one.forgetting.newClassAccuracy).toBeNaN();
  });

  it('deals every class over the folds', () => {
    const plan = assignFolds(Int32Array.from([0, 0, 0, 1, 1, 1, 1, 1, 1, 1]), new Array(10).fill(null), 2, 3)!;
    expect(plan.scheme).toBe('k-fold');
    for (let f = 0; f < 3; f++) expect([...plan.fold.keys()].some((i) => plan.fold[i] === f && i < 3)).toBe(true);
    expect(assignFolds(Int32Array.from([0, 1]), ['a', 'b'], 2, 5)).toMatchObject({ scheme: 'leave-one-speaker-out', nFolds: 2 });
    expect(assignFolds(Int32Array.from([0, 1]), ['a', 'b'], 2, 5, false)).toMatchObject({ scheme: 'k-fold', nFolds: 2 });
  });
});
