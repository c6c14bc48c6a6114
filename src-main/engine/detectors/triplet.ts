// E-ODN's triplet thresholds (eqs. 1-3) as a detector. Its score is `tripletScore`: > 0 exactly when `decide`
// calls the clip unknown, so thresholding at 0 reproduces the paper's decisions.

import { tripletScore, type MuRule } from '../odn/decide';
import { computeThresholds, type ThresholdSettings, type TripletThresholds } from '../odn/thresholds';
import type { DetectorFitInput, DetectorInput, UnknownDetector } from './types';

export class TripletDetector implements UnknownDetector {
  readonly name = 'triplet';
  readonly settings: Partial<ThresholdSettings>;
  readonly muRule: MuRule;
  thresholds_: TripletThresholds | null = null;

  constructor(settings: Partial<ThresholdSettings> & { muRule?: MuRule } = {}) {
    const { muRule, ...rest } = settings;
    this.settings = rest;
    this.muRule = muRule ?? 'top1';
  }

  fit(input: DetectorFitInput): this {
    this.thresholds_ = computeThresholds(input.probs, input.labels, this.settings);
    return this;
  }

  score(input: DetectorInput): Float64Array {
    const th = this.thresholds_;
    if (!th) throw new Error('TripletDetector is not fitted');
    return Float64Array.from(input.probs, (p) => tripletScore(p, th, this.muRule));
  }
}
