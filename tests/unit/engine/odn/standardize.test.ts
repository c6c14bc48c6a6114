import { describe, expect, it } from 'vitest';
import { Standardizer } from '../../../../src-main/engine/odn';

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: number[]) => Math.sqrt(mean(a.map((v) => (v - mean(a)) ** 2)));

describe('Standardizer', () => {
  // Speaker A around 10, speaker B around 100 (a strong speaker effect on column 0).
  const X = [
    [9, 1], [10, 2], [11, 3], [10, 4], [10, 5],
    [99, 1], [100, 2], [101, 3], [100, 4], [100, 5],
  ];
  const spk = ['A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B'];

  it('global: each column has mean 0 and std 1', () => {
    const Z = new Standardizer().fitTransform(X);
    for (const j of [0, 1]) {
      expect(mean(Z.map((z) => z[j]))).toBeCloseTo(0, 5);
      expect(std(Z.map((z) => z[j]))).toBeCloseTo(1, 5);
    }
  });

  it('per speaker: z-scores each speaker over its own clips, removing the offset', () => {
    const s = new Standardizer({ mode: 'per-speaker' });
    const Z = s.fitTransform(X, spk);
    expect(Z[0][0]).toBeCloseTo(Z[5][0], 5); // 9 in A ≡ 99 in B
    expect(mean(Z.slice(0, 5).map((z) => z[0]))).toBeCloseTo(0, 5);
    expect(std(Z.slice(5).map((z) => z[0]))).toBeCloseTo(1, 5);
  });

  it('fits an unseen speaker on its own clips; falls back to global for too few or no speaker', () => {
    const s = new Standardizer({ mode: 'per-speaker', minClipsPerSpeaker: 3 }).fit(X, spk);
    const Z = s.transform([[1000, 1], [1001, 2], [1002, 3], [10, 3]], ['C', 'C', 'C', null]);
    expect(Z[1][0]).toBeCloseTo(0, 5);
    expect(Z[0][0]).toBeCloseTo(-Math.sqrt(1.5), 5);
    const g = s.global_!;
    expect(Z[3][0]).toBeCloseTo((10 - g.mean[0]) / g.scale[0], 4);
  });

  it('round-trips through JSON', () => {
    const s = new Standardizer({ mode: 'per-speaker' }).fit(X, spk);
    const s2 = Standardizer.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(s2.transform(X, spk)).toEqual(s.transform(X, spk));
  });
});
