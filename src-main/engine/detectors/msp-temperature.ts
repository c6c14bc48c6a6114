// Temperature-scaled maximum softmax probability: score = 1 − max softmax(z / T) on the head's logits z. T is
// fitted as in temperature scaling (Guo, Pleiss, Sun & Weinberger, ICML 2017): the T minimising the negative
// log-likelihood of *held-out* known clips (`fitTemperature`). Training clips would give T < 1 (the head is
// over-confident on what it was fitted on), so the caller passes clips the head did not see; `fit` itself
// only checks that a temperature was set. T = 1 is the plain MSP (Hendrycks & Gimpel 2017).

import { softmax } from '../odn/rows';
import { logSumExp } from './energy';
import type { DetectorInput, UnknownDetector } from './types';

/** Mean negative log-likelihood of the labels under softmax(z / T). */
export function temperatureNll(logits: readonly ArrayLike<number>[], labels: ArrayLike<number>, T: number): number {
  let s = 0;
  logits.forEach((z, i) => (s += logSumExp(z, T) - z[labels[i]] / T));
  return s / logits.length;
}

/**
 * The temperature minimising the held-out NLL, by golden-section search on log T over [lo, hi] (the NLL is
 * unimodal in T for a fixed set of logits in all practical cases; the search keeps the best point seen).
 */
export function fitTemperature(logits: readonly ArrayLike<number>[], labels: ArrayLike<number>, lo = 0.05, hi = 100): number {
  if (logits.length === 0) throw new Error('no held-out logits to fit a temperature on');
  if (logits.length !== labels.length) throw new Error('length mismatch');
  const f = (u: number) => temperatureNll(logits, labels, Math.exp(u));
  let a = Math.log(lo), b = Math.log(hi);
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a), d = a + r * (b - a);
  let fc = f(c), fd = f(d);
  for (let it = 0; it < 60 && b - a > 1e-4; it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return Math.exp(fc < fd ? c : d);
}

export class TemperatureMspDetector implements UnknownDetector {
  readonly name = 'msp-t';
  temperature: number;

  constructor(settings: { temperature?: number } = {}) {
    this.temperature = settings.temperature ?? 1;
    if (!(this.temperature > 0)) throw new Error('temperature must be > 0');
  }

  fit(): this {
    return this;
  }

  score(input: DetectorInput): Float64Array {
    const T = this.temperature;
    return Float64Array.from(input.logits, (z) => {
      const p = softmax(Array.from(z, (v) => v / T));
      let m = 0;
      for (let j = 0; j < p.length; j++) if (p[j] > m) m = p[j];
      return 1 - m;
    });
  }
}
