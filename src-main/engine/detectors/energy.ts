// Energy score (Liu, Wang, Owens & Li, "Energy-based Out-of-distribution Detection", NeurIPS 2020):
//   E(x) = −T · log Σ_c exp(f_c(x) / T)
// on the head's logits f(x). Known clips get low (very negative) energy; the score is E itself, so higher =
// more likely unknown. Unlike the maximum softmax probability it keeps the logits' overall scale.

import type { DetectorInput, UnknownDetector } from './types';

/** log Σ exp(z_c / T), computed stably. */
export function logSumExp(z: ArrayLike<number>, temperature = 1): number {
  let m = -Infinity;
  for (let j = 0; j < z.length; j++) if (z[j] / temperature > m) m = z[j] / temperature;
  let s = 0;
  for (let j = 0; j < z.length; j++) s += Math.exp(z[j] / temperature - m);
  return m + Math.log(s);
}

export class EnergyDetector implements UnknownDetector {
  readonly name = 'energy';
  readonly temperature: number;

  constructor(settings: { temperature?: number } = {}) {
    this.temperature = settings.temperature ?? 1;
    if (!(this.temperature > 0)) throw new Error('temperature must be > 0');
  }

  fit(): this {
    return this;
  }

  score(input: DetectorInput): Float64Array {
    const T = this.temperature;
    return Float64Array.from(input.logits, (z) => -T * logSumExp(z, T));
  }
}
