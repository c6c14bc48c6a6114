// Maximum softmax probability (Hendrycks & Gimpel 2017): score = 1 − max p. The simplest baseline.

import type { DetectorInput, UnknownDetector } from './types';

export class MspDetector implements UnknownDetector {
  readonly name = 'msp';

  fit(): this {
    return this;
  }

  score(input: DetectorInput): Float64Array {
    return Float64Array.from(input.probs, (p) => {
      let m = -Infinity;
      for (let j = 0; j < p.length; j++) if (p[j] > m) m = p[j];
      return 1 - m;
    });
  }
}
