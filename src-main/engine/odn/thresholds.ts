// Triplet thresholds, E-ODN paper eqs. 1-3 (after Shu et al.'s ODN). Per class i, over the samples of class i
// that the head classifies correctly (X_i of them), with F the top-1 and S the top-2 probability:
//   η_i = (1/X_i) Σ_j F_ij          (1)  acceptance threshold
//   μ_i = ε · η_i                    (2)  rejection threshold
//   δ_i = ρ · (1/X_i) Σ_j (F_ij − S_ij)  (3)  distance (margin) threshold
// Which probabilities are used is the caller's choice: training-set probabilities (as in the paper) or held-out
// ones (e.g. cross-validated), which are less over-confident.

import { DEFAULT_EPSILON_RHO } from '../../../shared/defaults';
import { top2, type Labels, type Rows } from './rows';

export interface ThresholdSettings {
  /** ε of eq. 2; in (0, 1] so that μ ≤ η. */
  epsilon: number;
  /** ρ of eq. 3; > 0. */
  rho: number;
  /**
   * For a class with no correctly classified sample: 'mean-of-classes' uses the mean η and mean margin of the
   * classes that have some (or 'fixed' values when none has); 'fixed' always uses `fixedEta` / `fixedMargin`.
   */
  fallback: 'mean-of-classes' | 'fixed';
  fixedEta: number;
  fixedMargin: number;
}

export const DEFAULT_THRESHOLD_SETTINGS: ThresholdSettings = {
  ...DEFAULT_EPSILON_RHO,
  fallback: 'mean-of-classes',
  // η = 1 means "never accepted outright": a class the head never gets right is only accepted on its margin.
  fixedEta: 1,
  fixedMargin: 0.5,
};

export interface ClassThreshold {
  eta: number;
  mu: number;
  delta: number;
  /** Mean top1 − top2 over the correct samples (δ before ρ). */
  meanMargin: number;
  /** X_i: number of correctly classified samples the numbers come from (0 when a fallback was used). */
  support: number;
  fallback: boolean;
}

export interface TripletThresholds {
  epsilon: number;
  rho: number;
  classes: ClassThreshold[];
}

/** Thresholds from probability vectors `probs` (one per sample) and the samples' true labels. */
export function computeThresholds(
  probs: Rows,
  labels: Labels,
  settings: Partial<ThresholdSettings> = {},
): TripletThresholds {
  const s = { ...DEFAULT_THRESHOLD_SETTINGS, ...settings };
  validate(s);
  if (probs.length !== labels.length) throw new Error(`${probs.length} probability rows but ${labels.length} labels`);
  if (probs.length === 0) throw new Error('no probability rows');
  const C = probs[0].length;
  const sumTop = new Float64Array(C);
  const sumMargin = new Float64Array(C);
  const count = new Int32Array(C);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    const [a, b] = top2(p);
    if (a !== labels[i]) continue; // only correctly classified samples count
    sumTop[a] += p[a];
    sumMargin[a] += p[a] - (b === a ? 0 : p[b]);
    count[a]++;
  }
  const fitted = [...count].map((x) => x > 0);
  const nFitted = fitted.filter(Boolean).length;
  let fbEta = s.fixedEta;
  let fbMargin = s.fixedMargin;
  if (s.fallback === 'mean-of-classes' && nFitted > 0) {
    fbEta = 0;
    fbMargin = 0;
    for (let c = 0; c < C; c++)
      if (fitted[c]) {
        fbEta += sumTop[c] / count[c] / nFitted;
        fbMargin += sumMargin[c] / count[c] / nFitted;
      }
  }
  const classes: ClassThreshold[] = [];
  for (let c = 0; c < C; c++) {
    const eta = fitted[c] ? sumTop[c] / count[c] : fbEta;
    const meanMargin = fitted[c] ? sumMargin[c] / count[c] : fbMargin;
    classes.push(thresholdOf(eta, meanMargin, s.epsilon, s.rho, count[c], !fitted[c]));
  }
  return { epsilon: s.epsilon, rho: s.rho, classes };
}

/** The same per-class statistics under other ε, ρ (no need to recompute η and margins). */
export function withEpsilonRho(t: TripletThresholds, epsilon: number, rho: number): TripletThresholds {
  validate({ ...DEFAULT_THRESHOLD_SETTINGS, epsilon, rho });
  return {
    epsilon,
    rho,
    classes: t.classes.map((c) => thresholdOf(c.eta, c.meanMargin, epsilon, rho, c.support, c.fallback)),
  };
}

function thresholdOf(eta: number, meanMargin: number, epsilon: number, rho: number, support: number, fallback: boolean): ClassThreshold {
  return { eta, mu: epsilon * eta, delta: rho * meanMargin, meanMargin, support, fallback };
}

function validate(s: ThresholdSettings): void {
  if (!(s.epsilon > 0 && s.epsilon <= 1)) throw new Error(`ε must be in (0, 1], got ${s.epsilon}`);
  if (!(s.rho > 0)) throw new Error(`ρ must be > 0, got ${s.rho}`);
}
