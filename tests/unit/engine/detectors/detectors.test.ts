import { describe, expect, it } from 'vitest';
import {
  MahalanobisDetector,
  MspDetector,
  OpenMaxDetector,
  TripletDetector,
  detectorInput,
  flagUnknown,
  thresholdAtKnownQuantile,
  thresholdMaxF1,
  type UnknownDetector,
} from '../../../../src-main/engine/detectors';
import { auroc, binaryPRF } from '../../../../src-main/engine/metrics';
import { Head, decide, isUnknown } from '../../../../src-main/engine/odn';
import { makeBlobs, pick } from '../blobs';

// End-to-end sanity: 4 known blobs + 1 held-out blob in 12-d; spread chosen so the known classes are
// separable but not trivially so.
const all = makeBlobs(5, 80, 12, { seed: 21, sep: 2, spread: 1 });
const known = pick(all, [0, 1, 2, 3]);
const isTrain = (i: number) => i % 80 < 50;
const trX = known.X.filter((_, i) => isTrain(i));
const trY = known.y.filter((_, i) => isTrain(i));
const teKnown = known.X.filter((_, i) => !isTrain(i));
const teUnknown = pick(all, [4]).X.slice(0, 30);
const teX = [...teKnown, ...teUnknown];
const teIsUnknown = teX.map((_, i) => i >= teKnown.length);

const head = new Head({ epochs: 80, seed: 1, l2: 1e-2 });
head.fit(trX, trY);
const trIn = { ...detectorInput(head, trX), labels: trY };
const teIn = detectorInput(head, teX);

describe('detectors on Gaussian blobs', () => {
  it('the head classifies the known blobs well', () => {
    const pred = head.predict(teKnown);
    const truth = known.y.filter((_, i) => !isTrain(i));
    expect(pred.filter((p, i) => p === truth[i]).length / pred.length).toBeGreaterThan(0.9);
  });

  const detectors: UnknownDetector[] = [new TripletDetector({ epsilon: 0.8, rho: 0.5 }), new MspDetector(), new OpenMaxDetector({ tailSize: 20, alpha: 2 }), new MahalanobisDetector()];
  it.each(detectors.map((d) => [d.name, d] as const))('%s scores the held-out blob as more unknown (AUROC > 0.75)', (_, det) => {
    det.fit(trIn);
    const s = det.score(teIn);
    expect(s).toHaveLength(teX.length);
    const a = auroc(s, teIsUnknown);
    expect(a).toBeGreaterThan(0.75);
    const known = s.filter((_, i) => !teIsUnknown[i]);
    const unk = s.filter((_, i) => teIsUnknown[i]);
    const median = (x: Float64Array) => Float64Array.from(x).sort()[Math.floor(x.length / 2)];
    expect(median(unk)).toBeGreaterThan(median(known));
  });

  it('the triplet detector at threshold 0 gives the same answers as decide', () => {
    const det = new TripletDetector({ epsilon: 0.8, rho: 0.5 }).fit(trIn);
    const flags = flagUnknown(det.score(teIn), 0);
    const names = ['a', 'b', 'c', 'd'];
    teIn.probs.forEach((p, i) => expect(flags[i]).toBe(isUnknown(decide(p, det.thresholds_!, names))));
    // and it flags the unknown blob more often than the known clips
    const f = binaryPRF(teIsUnknown, flags);
    const flaggedKnown = flags.filter((x, i) => x && !teIsUnknown[i]).length / teKnown.length;
    expect(f.recall).toBeGreaterThan(flaggedKnown);
  });

  it('Mahalanobis flags by a training-quantile threshold about 1 − q of held-out known clips', () => {
    const det = new MahalanobisDetector().fit(trIn);
    const t = thresholdAtKnownQuantile(det.score(trIn), 0.95);
    const flags = flagUnknown(det.score(teIn), t);
    const knownRate = flags.filter((x, i) => x && !teIsUnknown[i]).length / teKnown.length;
    const unkRate = flags.filter((x, i) => x && teIsUnknown[i]).length / teUnknown.length;
    expect(knownRate).toBeLessThan(0.25);
    expect(unkRate).toBeGreaterThan(0.5);
  });

  it('OpenMax probabilities have C + 1 entries summing to 1', () => {
    const det = new OpenMaxDetector().fit(trIn);
    const p = det.openmaxProbs(teIn.logits[0]);
    expect(p).toHaveLength(5);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});

describe('threshold helpers', () => {
  it('quantile by linear interpolation', () => {
    expect(thresholdAtKnownQuantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(thresholdAtKnownQuantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6);
  });
  it('max-F1 threshold separates separable scores', () => {
    const r = thresholdMaxF1([0.1, 0.2, 0.3, 0.7, 0.9], [false, false, false, true, true]);
    expect(r.threshold).toBeCloseTo(0.5);
    expect(r.f1).toBe(1);
  });
  it('max-F1 threshold equals brute force on scores with ties', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 30; t++) {
      const n = 5 + Math.floor(rnd() * 40);
      const s = Array.from({ length: n }, () => Math.round(rnd() * 10) / 10);
      const y = s.map((v) => rnd() < 0.3 + v * 0.4);
      let brute = 0;
      for (const th of [-1, ...s]) brute = Math.max(brute, binaryPRF(y, s.map((v) => v > th)).f1);
      const best = thresholdMaxF1(s, y);
      expect(best.f1).toBeCloseTo(brute, 12);
      expect(binaryPRF(y, flagUnknown(s, best.threshold)).f1).toBeCloseTo(brute, 12);
    }
  });
  it('MSP score is 1 − max p', () => {
    expect(Array.from(new MspDetector().score({ features: [], logits: [], probs: [[0.7, 0.2, 0.1]] }))[0]).toBeCloseTo(0.3);
  });
});
