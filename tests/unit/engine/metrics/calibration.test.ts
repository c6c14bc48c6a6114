// The calibration map behind the estimate of labels right: isotonic regression of "top-1 right" on p1. It is
// monotone, recovers a known reliability curve, and on over-confident probabilities its held-out ECE drops
// well below the raw probabilities'.
import { describe, expect, it } from 'vitest';
import { applyCalibration, expectedCalibrationError, fitCalibrationMap, heldOutCalibration, MIN_CALIBRATION_CLIPS } from '../../../../src-main/engine/metrics';
import { makeRng } from '../../../../src-main/engine/odn';

/** n clips with p1 uniform on [lo, 1] and top-1 right with chance truth(p1). */
function sample(n: number, truth: (p: number) => number, seed: number, lo = 0.2): { p1: number[]; right: boolean[] } {
  const rng = makeRng(seed);
  const p1: number[] = [];
  const right: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const p = lo + (1 - lo) * rng();
    p1.push(p);
    right.push(rng() < truth(p));
  }
  return { p1, right };
}

// An over-confident model: it says p, it is right (p - 0.2)^1.5 / 0.8^1.5 of the time (0 at 0.2, 1 at 1).
const overConfident = (p: number) => Math.pow((p - 0.2) / 0.8, 1.5);

describe('fitCalibrationMap', () => {
  it('is monotone: knots ascend, chances never fall, and so does every mapped value', () => {
    const { p1, right } = sample(3000, overConfident, 1);
    const map = fitCalibrationMap(p1, right)!;
    expect(map.p1.length).toBeGreaterThan(3);
    for (let k = 1; k < map.p1.length; k++) {
      expect(map.p1[k]).toBeGreaterThan(map.p1[k - 1]);
      expect(map.pRight[k]).toBeGreaterThanOrEqual(map.pRight[k - 1]);
    }
    let last = -1;
    for (let p = 0; p <= 1.0001; p += 0.01) {
      const c = applyCalibration(map, p);
      expect(c).toBeGreaterThanOrEqual(last - 1e-12);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
      last = c;
    }
  });

  it('recovers a known reliability curve', () => {
    const { p1, right } = sample(20_000, overConfident, 2);
    const map = fitCalibrationMap(p1, right)!;
    for (const p of [0.3, 0.45, 0.6, 0.75, 0.9]) expect(Math.abs(applyCalibration(map, p) - overConfident(p)), `at ${p}`).toBeLessThan(0.05);
  });

  it('does not claim certainty from a handful of clips, and gives no map below the minimum', () => {
    expect(fitCalibrationMap([0.9, 0.8], [true, true])).toBeNull();
    expect(MIN_CALIBRATION_CLIPS).toBe(20);
    // 20 clips, all right: plain isotonic regression would say 1 everywhere; the prior keeps it under 1 at
    // low p1 (each block is pulled towards its own mean p1 by two pseudo-clips).
    const p1 = Array.from({ length: 20 }, (_, i) => 0.3 + i * 0.03);
    const map = fitCalibrationMap(p1, new Array(20).fill(true))!;
    expect(applyCalibration(map, 0.3)).toBeLessThan(1);
    expect(applyCalibration(map, 0.3)).toBeGreaterThan(0.9);
  });

  it('leaves p1 as it is without a map, and stays flat outside its knots', () => {
    expect(applyCalibration(null, 0.42)).toBe(0.42);
    const map = { p1: [0.4, 0.8], pRight: [0.2, 0.6] };
    expect(applyCalibration(map, 0.1)).toBe(0.2);
    expect(applyCalibration(map, 0.6)).toBeCloseTo(0.4, 12);
    expect(applyCalibration(map, 0.99)).toBe(0.6);
  });
});

describe('heldOutCalibration', () => {
  it('drops the ECE of over-confident probabilities, measured on folds the map was not fitted on', () => {
    const { p1, right } = sample(4000, overConfident, 3);
    const fold = p1.map((_, i) => i % 5);
    const r = heldOutCalibration(p1, right, fold)!;
    expect(r.clips).toBe(4000);
    expect(r.eceRaw).toBeCloseTo(expectedCalibrationError(p1, right).ece, 12);
    expect(r.eceRaw).toBeGreaterThan(0.15);
    expect(r.ece).not.toBeNull();
    expect(r.ece!).toBeLessThan(0.04);
    // And on fresh clips of the same model, the map fitted on all of them calibrates too.
    const fresh = sample(4000, overConfident, 4);
    const ece = expectedCalibrationError(fresh.p1.map((p) => applyCalibration(r.map, p)), fresh.right).ece;
    expect(ece).toBeLessThan(0.04);
    expect(expectedCalibrationError(fresh.p1, fresh.right).ece).toBeGreaterThan(0.15);
  });

  it('keeps a calibrated model calibrated', () => {
    const { p1, right } = sample(4000, (p) => p, 5);
    const r = heldOutCalibration(p1, right, p1.map((_, i) => i % 4))!;
    expect(r.eceRaw).toBeLessThan(0.04);
    expect(r.ece!).toBeLessThan(0.04);
  });

  it('cannot cross-fit one fold, and needs enough clips', () => {
    const { p1, right } = sample(100, overConfident, 6);
    expect(heldOutCalibration(p1, right, p1.map(() => 0))).toMatchObject({ clips: 100, ece: null });
    expect(heldOutCalibration(p1.slice(0, 10), right.slice(0, 10), [0, 1, 0, 1, 0, 1, 0, 1, 0, 1])).toBeNull();
  });
});
