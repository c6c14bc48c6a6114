import { describe, expect, it } from 'vitest';
import { Head } from '../../../../src-main/engine/odn';
import { weightedAccuracy } from '../../../../src-main/engine/metrics';
import { makeBlobs } from '../blobs';

const train = makeBlobs(4, 40, 10, { seed: 1 });
const test = makeBlobs(4, 20, 10, { seed: 1 }); // same centres (same seed), fresh draws below
const testSet = makeBlobs(4, 60, 10, { seed: 1 });
const heldX = testSet.X.filter((_, i) => i % 60 >= 40);
const heldY = testSet.y.filter((_, i) => i % 60 >= 40);

describe('Head (softmax regression)', () => {
  it('learns separable blobs; probabilities sum to 1', () => {
    const head = new Head({ epochs: 60, seed: 3 });
    const rep = head.fit(train.X, train.y);
    expect(rep.epochs).toBe(60);
    expect(rep.accuracy).toBeGreaterThan(0.95);
    expect(weightedAccuracy(heldY, head.predict(heldX))).toBeGreaterThan(0.9);
    for (const p of head.predictProba(test.X.slice(0, 5))) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('is deterministic for a seed and differs for another', () => {
    const a = new Head({ epochs: 5, seed: 3 });
    const b = new Head({ epochs: 5, seed: 3 });
    const c = new Head({ epochs: 5, seed: 4 });
    a.fit(train.X, train.y);
    b.fit(train.X, train.y);
    c.fit(train.X, train.y);
    expect(Array.from(a.W_)).toEqual(Array.from(b.W_));
    expect(Array.from(a.W_)).not.toEqual(Array.from(c.W_));
  });

  it('reports each epoch and stops on abort', () => {
    const seen: [number, number, number][] = [];
    let calls = 0;
    const head = new Head({ epochs: 50, seed: 1 });
    const rep = head.fit(train.X, train.y, { onEpoch: (e, l, acc) => seen.push([e, l, acc]), shouldAbort: () => ++calls > 12 });
    expect(rep.aborted).toBe(true);
    expect(seen.length).toBe(2); // 160 rows / 32 = 5 batches per epoch; aborted on the 13th check
    expect(seen[0][0]).toBe(1);
    expect(seen[1][1]).toBeLessThan(seen[0][1]); // loss goes down
  });

  it('round-trips through JSON with identical predictions', () => {
    const head = new Head({ epochs: 10, hidden: 8, seed: 2 });
    head.fit(train.X, train.y);
    const back = Head.fromJSON(JSON.parse(JSON.stringify(head.toJSON())));
    expect(back.predictProba(test.X)).toEqual(head.predictProba(test.X));
  });

  it('per-column learning rates of 0 freeze those columns', () => {
    const head = new Head({ epochs: 10, seed: 2 });
    head.fit(train.X, train.y);
    const before = head.outputColumn(1);
    head.fit(train.X, train.y, { warmStart: true, epochs: 5, columnLrScale: [1, 0, 1, 1] });
    const after = head.outputColumn(1);
    expect(Array.from(after.w)).toEqual(Array.from(before.w));
    expect(after.b).toBe(before.b);
    expect(Array.from(head.outputColumn(0).w)).not.toEqual(Array.from(before.w));
  });

  it('class-balanced weighting raises a rare class recall', () => {
    // Heavily imbalanced, overlapping blobs: 150 vs 10.
    const b = makeBlobs(2, 150, 5, { seed: 9, sep: 0.6, spread: 1 });
    const keep = b.X.map((_, i) => b.y[i] === 0 || i % 150 < 10);
    const X = b.X.filter((_, i) => keep[i]);
    const y = b.y.filter((_, i) => keep[i]);
    const recall1 = (h: Head) => {
      const p = h.predict(X);
      let ok = 0, n = 0;
      y.forEach((t, i) => t === 1 && (n++, p[i] === 1 && ok++));
      return ok / n;
    };
    const bal = new Head({ epochs: 80, seed: 1, classWeight: 'balanced' });
    const none = new Head({ epochs: 80, seed: 1, classWeight: 'none' });
    bal.fit(X, y);
    none.fit(X, y);
    expect(recall1(bal)).toBeGreaterThan(recall1(none));
  });
});

describe('Head (MLP)', () => {
  it('learns XOR, which softmax regression cannot', () => {
    const X: Float32Array[] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = (i * 7919) % 200 / 100 - 1, b = (i * 104729) % 197 / 98.5 - 1;
      X.push(Float32Array.of(a, b));
      y.push(a * b > 0 ? 1 : 0);
    }
    const mlp = new Head({ hidden: 16, epochs: 300, learningRate: 0.02, l2: 0, seed: 5 });
    const lin = new Head({ hidden: 0, epochs: 100, seed: 5 });
    mlp.fit(X, y);
    lin.fit(X, y);
    expect(weightedAccuracy(y, mlp.predict(X))).toBeGreaterThan(0.9);
    expect(weightedAccuracy(y, lin.predict(X))).toBeLessThan(0.7);
  });
});
