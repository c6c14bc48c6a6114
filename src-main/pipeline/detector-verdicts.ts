// The other open-set detectors' verdicts stored beside each prediction (issue 6: "the other detectors' verdicts
// (MSP, OpenMax, ...) beside it" in the DecisionPanel). They are fitted on the detection head's training clips
// and only ever scored in the same run, so a version stores their thresholds and per-clip verdicts, not their
// state (Mahalanobis' Cholesky factor alone is d² ≈ 320,000 numbers at 567-d).
//
// Threshold: the 0.95-quantile of the training clips' own scores (≈ 5 % of known training clips flagged).
// Cheap and needs no unknown examples; it is optimistic (the head has seen those clips), so on new clips these
// detectors flag somewhat more than 5 % of known clips. They are shown for comparison; the triplet rule decides.
import type { DetectorVerdict } from '../../shared/api';
import type { Decision } from '../../shared/domain';
import { detectorInput, MahalanobisDetector, MspDetector, thresholdAtKnownQuantile, type UnknownDetector } from '../engine/detectors';
import type { Head } from '../engine/odn';

export type { DetectorVerdict };

/** Quantile of the training clips' scores used as each detector's threshold. */
export const DETECTOR_KNOWN_QUANTILE = 0.95;

/** A Decision as stored in the predictions table: the verdicts ride along in its free-form JSON. */
export type StoredDecision = Decision & { detectors?: DetectorVerdict[] };

export interface FittedDetectors {
  thresholds: { name: string; threshold: number }[];
  /** Verdicts per row of standardized features, under the head the detectors were fitted with. */
  verdicts(Z: readonly Float32Array[]): DetectorVerdict[][];
}

const DISPLAY: Record<string, string> = { msp: 'MSP', mahalanobis: 'Mahalanobis', openmax: 'OpenMax' };

/**
 * MSP and Mahalanobis fitted on the (standardized) training rows X, labels y, under `head`. A detector whose fit
 * fails is left out rather than failing training. OpenMax is not shown: with this training-quantile threshold
 * its scores on training clips sit near 1, and on the demo it called 0 of 23 disgust/fear clips unknown — a
 * verdict that would mislead (the evaluation, which picks its threshold on simulated unknowns, reports it).
 */
export function fitDetectors(head: Head, X: readonly Float32Array[], y: Int32Array): FittedDetectors {
  const input = detectorInput(head, X);
  const fitted: { det: UnknownDetector; threshold: number }[] = [];
  for (const det of [new MspDetector(), new MahalanobisDetector()] as UnknownDetector[]) {
    try {
      det.fit({ ...input, labels: y });
      const scores = det.score(input);
      const threshold = thresholdAtKnownQuantile(scores, DETECTOR_KNOWN_QUANTILE);
      if (Number.isFinite(threshold)) fitted.push({ det, threshold });
    } catch {
      // Leave it out: the panel lists the detectors that could be fitted.
    }
  }
  return {
    thresholds: fitted.map((f) => ({ name: DISPLAY[f.det.name] ?? f.det.name, threshold: f.threshold })),
    verdicts(Z) {
      if (Z.length === 0) return [];
      const inp = detectorInput(head, Z);
      const scores = fitted.map((f) => f.det.score(inp));
      return Z.map((_, i) =>
        fitted.flatMap((f, k) => {
          const score = scores[k][i];
          if (!Number.isFinite(score)) return [];
          return [{ name: DISPLAY[f.det.name] ?? f.det.name, score: round(score), threshold: round(f.threshold), unknown: score > f.threshold }];
        }),
      );
    },
  };
}

/** The verdicts stored with a decision (none in versions made before detectors were stored). */
export function detectorsOf(d: Decision): DetectorVerdict[] | undefined {
  const v = (d as StoredDecision).detectors;
  return Array.isArray(v) ? v : undefined;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
