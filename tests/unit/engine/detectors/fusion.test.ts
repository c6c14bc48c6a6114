// The default detector's one implementation (engine/detectors/fusion.ts): the studio's fit gives exactly the
// evaluation's 'fusion' threshold and scores on the same rows; its fitted state round-trips through JSON with
// identical scores; the studio's rule for a speaker with few clips.
import { describe, expect, it } from 'vitest';
import { detectorInput } from '../../../../src-main/engine/detectors';
import { fitFusedDetector, FusedDetector, normaliseMembers } from '../../../../src-main/engine/detectors/fusion';
import { zScoreBySpeaker } from '../../../../src-main/engine/detectors/threshold';
import { Head } from '../../../../src-main/engine/odn/head';
import { fitDetectorSuite } from '../../../../src-main/evaluation/detection';
import { synthetic } from '../../evaluation/synthetic';

const data = synthetic({ speakers: 4, perClass: 8, dim: 10 });
const names = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
const known = data.labels.map((_, i) => i).filter((i) => names.includes(data.labels[i]) && data.speakers[i] !== 's3');
const test = data.labels.map((_, i) => i).filter((i) => data.speakers[i] === 's3');
const X = known.map((i) => data.X[i]);
const y = Int32Array.from(known, (i) => names.indexOf(data.labels[i]));
const spk = known.map((i) => data.speakers[i]);
const makeHead = () => new Head({ epochs: 30, l2: 0.1, seed: 1 });

describe('fused detector', () => {
  const suite = fitDetectorSuite(X, y, spk, 5, makeHead, { innerFolds: 3, seed: 1, scoreNorm: 'per-speaker' });
  const fused = fitFusedDetector(X, y, spk, spk, 5, makeHead, suite.head, { innerFolds: 3, seed: 1 });
  const testX = test.map((i) => data.X[i]);
  const testSpk = test.map((i) => data.speakers[i]);

  it("is the evaluation's 'fusion': same threshold, guard and scores on the same rows", () => {
    expect(fused.calibration.threshold).toBe(suite.thresholds.fusion);
    expect(fused.calibration.fallback).toBe(suite.fallback.fusion);
    expect(fused.calibration.poolFlagged).toBe(suite.poolFlagged.fusion);
    const evalScores = suite.score(testX, testSpk).fusion;
    expect(fused.score(detectorInput(suite.head, testX), testSpk).scores).toEqual(evalScores);
    expect(fused.info.simulatedCases).toBe(suite.simulatedCases);
    expect(fused.calibration.poolAuroc).toBeGreaterThan(0.5);
    expect(fused.calibration.poolF1).toBeGreaterThan(0);
  });

  it('round-trips through JSON with identical scores and calibration', () => {
    const back = FusedDetector.fromJSON(JSON.parse(JSON.stringify(fused.toJSON())));
    const input = detectorInput(suite.head, testX);
    expect(back.score(input, testSpk)).toEqual(fused.score(input, testSpk));
    expect(back.calibration).toEqual(fused.calibration);
    expect(back.info).toEqual(fused.info);
  });

  it('z-scores per speaker as the evaluation does; with a minimum, a small speaker uses every row', () => {
    const raw = { msp: Float64Array.from([1, 2, 3, 4, 5, 6]), openmax: Float64Array.from([0, 1, 0, 1, 0, 2]), mahalanobis: Float64Array.from([5, 5, 5, 1, 2, 9]) };
    const speakers = ['a', 'a', 'a', 'a', 'b', null];
    const plain = normaliseMembers(raw, ['a', 'a', 'a', 'a', 'b', 'c']);
    expect(plain.z.msp).toEqual(zScoreBySpeaker(raw.msp, ['a', 'a', 'a', 'a', 'b', 'c']));
    const { z, rows } = normaliseMembers(raw, speakers, 2);
    expect(rows.map((r) => r.over)).toEqual(['speaker', 'speaker', 'speaker', 'speaker', 'all', 'all']);
    expect(rows[4]).toMatchObject({ speaker: 'b', n: 6 });
    expect(rows[0]).toMatchObject({ speaker: 'a', n: 4, mean: [2.5, 0.5, 4] });
    expect(z.msp[4]).toBeCloseTo((5 - 3.5) / Math.sqrt(35 / 12), 12);
  });
});
