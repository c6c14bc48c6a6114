import { describe, expect, it } from 'vitest';
import type { Pad } from '../../../../shared/domain';
import { Head, finetune, growHead, growWeights, newClassColumn, replaySample, rethreshold } from '../../../../src-main/engine/odn';
import { weightedAccuracy } from '../../../../src-main/engine/metrics';
import { makeBlobs, pick } from '../blobs';

describe('eq. 6: growing a new class column', () => {
  // Known F_1 = (0,0,0), F_2 = (3,4,0); new f = (0,0,0) → d = (0, 5), mean 2.5 → d' = (0, 2).
  const known: Pad[] = [[0, 0, 0], [3, 4, 0]];
  const f: Pad = [0, 0, 0];

  it('d and d′ = d / mean(d)', () => {
    const g = growWeights(f, known);
    expect(g.distances).toEqual([0, 5]);
    expect(g.weights).toEqual([0, 2]);
    const inv = growWeights([1, 0, 0], [[0, 0, 0], [3, 0, 0]], 'inverse'); // d = 1, 2 → 1/d = 1, 0.5 → /0.75
    expect(inv.weights[0]).toBeCloseTo(4 / 3);
    expect(inv.weights[1]).toBeCloseTo(2 / 3);
  });

  it('w_{n+1} = (1/n) Σ d′_j w_j, bias likewise, on a toy head', () => {
    const head = Head.fromJSON({
      format: 'eodn-head/1',
      settings: { ...new Head().settings },
      nFeatures: 2,
      nClasses: 2,
      W1: [],
      b1: [],
      W: [1, 10, 2, 20], // row-major 2×2: w_1 = (1, 2), w_2 = (10, 20)
      b: [0.5, -1],
    });
    const col = newClassColumn(head, f, known);
    // (1/2)(0·(1,2) + 2·(10,20)) = (10, 20); b = (1/2)(0·0.5 + 2·(−1)) = −1
    expect(Array.from(col.w)).toEqual([10, 20]);
    expect(col.b).toBe(-1);
    const mid = newClassColumn(head, [1.5, 2, 0], known); // equidistant → d′ = (1, 1) → mean of columns
    expect(Array.from(mid.w)).toEqual([5.5, 11]);
    expect(mid.b).toBeCloseTo(-0.25);
    const { head: grown } = growHead(head, [1.5, 2, 0], known);
    expect(grown.nClasses_).toBe(3);
    expect(Array.from(grown.outputColumn(0).w)).toEqual([1, 2]);
    expect(Array.from(grown.outputColumn(2).w)).toEqual([5.5, 11]);
    expect(head.nClasses_).toBe(2); // the input head is untouched
  });

  it('grows only the output layer of an MLP', () => {
    const b = makeBlobs(3, 20, 4, { seed: 2 });
    const h = new Head({ hidden: 6, epochs: 5 });
    h.fit(b.X, b.y);
    const { head: g } = growHead(h, [0, 0, 0], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(Array.from(g.W1_)).toEqual(Array.from(h.W1_));
    expect(g.W_.length).toBe(6 * 4);
  });
});

describe('fine-tuning the grown head', () => {
  it('learns the new class from few clips while keeping the known ones', () => {
    const all = makeBlobs(4, 60, 8, { seed: 5 });
    const known = pick(all, [0, 1, 2]);
    const trainIdx = (i: number) => i % 60 < 40;
    const kTrX = known.X.filter((_, i) => trainIdx(i)), kTrY = known.y.filter((_, i) => trainIdx(i));
    const kTeX = known.X.filter((_, i) => !trainIdx(i)), kTeY = known.y.filter((_, i) => !trainIdx(i));
    const head = new Head({ epochs: 60, seed: 1 });
    head.fit(kTrX, kTrY);
    const newAll = pick(all, [3]).X;
    const newX = newAll.slice(0, 8); // few clips of the new class
    const newTe = newAll.slice(8);
    const pads: Pad[] = [[-2, 1, 0.6], [-0.9, 0.2, -0.7], [2.8, 1.2, 1.4]];
    const { head: grown } = growHead(head, [-1.8, 0.4, 0.7], pads);
    const res = finetune(grown, { newX, newY: new Int32Array(8).fill(3), knownX: kTrX, knownY: kTrY }, { epochs: 40, replayPerClass: 15 });
    expect(res.replayIndices.length).toBe(45);
    expect(res.head.nClasses_).toBe(4);
    const knownAcc = weightedAccuracy(kTeY, res.head.predict(kTeX));
    const newAcc = weightedAccuracy(new Int32Array(newTe.length).fill(3), res.head.predict(newTe));
    expect(knownAcc).toBeGreaterThan(0.85);
    expect(newAcc).toBeGreaterThan(0.8);
    expect(grown.nClasses_).toBe(4);
    // thresholds recomputed for the 4-class head
    const th = rethreshold(res.head, [...kTrX, ...newX], Int32Array.from([...kTrY, ...new Array(8).fill(3)]));
    expect(th.classes).toHaveLength(4);
    expect(th.classes[3].support).toBeGreaterThan(0);
  });

  it('replays a seeded, per-class-capped sample', () => {
    const y = [0, 0, 0, 0, 1, 1, 2];
    const a = replaySample(y, 2, 1);
    expect(a).toEqual(replaySample(y, 2, 1));
    expect(a.filter((i) => y[i] === 0)).toHaveLength(2);
    expect(a.filter((i) => y[i] === 1)).toHaveLength(2);
    expect(a.filter((i) => y[i] === 2)).toHaveLength(1);
  });
});
