// The triplet-threshold decision for one probability vector, following the paper's text (section 3.1):
// - accepted as l when l = argmax and p_l ≥ η_l;
// - unknown when all probabilities are below μ (i.e. p_top1 < μ);
// - in between (μ ≤ p_l < η_l): accepted as l when top1 − top2 ≥ δ_l, else unknown.
// Which μ: the paper writes a bare μ. By default it is the top-1 class's μ_l; 'min' / 'max' use the smallest or
// largest μ over all classes (more or less eager to call "unknown").

import type { Decision } from '../../../shared/domain';
import { top2 } from './rows';
import type { TripletThresholds } from './thresholds';

export type MuRule = 'top1' | 'min' | 'max';

export interface DecideSettings {
  muRule: MuRule;
}

export const DEFAULT_DECIDE_SETTINGS: DecideSettings = { muRule: 'top1' };

export function decide(
  p: ArrayLike<number>,
  thresholds: TripletThresholds,
  classNames: readonly string[],
  settings: Partial<DecideSettings> = {},
): Decision {
  const { muRule } = { ...DEFAULT_DECIDE_SETTINGS, ...settings };
  const C = thresholds.classes.length;
  if (p.length !== C) throw new Error(`probability vector has ${p.length} values, thresholds have ${C} classes`);
  if (classNames.length !== C) throw new Error(`${classNames.length} class names for ${C} classes`);
  const [l, s] = top2(p);
  const p1 = p[l];
  const p2 = s === l ? 0 : p[s];
  const th = thresholds.classes[l];
  const mu = muFor(thresholds, l, muRule);
  const eta = th.eta;
  const delta = th.delta;
  const margin = p1 - p2;
  const name = classNames[l];
  const base = { top1: l, top2: s, p1, p2, eta, mu, delta };
  const f = (x: number) => x.toFixed(2);
  if (p1 >= eta) {
    return { ...base, kind: 'accepted', label: name, reason: `${f(p1)} ≥ η(${name})=${f(eta)} → ${name}` };
  }
  if (p1 < mu) {
    return { ...base, kind: 'unknown', label: null, reason: `all probabilities below μ=${f(mu)} (top ${name} ${f(p1)}) → unknown` };
  }
  const between = `${f(p1)} is below η(${name})=${f(eta)} but above μ=${f(mu)}`;
  if (margin >= delta) {
    return { ...base, kind: 'ambiguous-accepted', label: name, reason: `${between}; margin ${f(margin)} ≥ δ=${f(delta)} → ${name}` };
  }
  return { ...base, kind: 'ambiguous-unknown', label: null, reason: `${between}; margin ${f(margin)} < δ=${f(delta)} → unknown` };
}

/** Whether a decision calls the sample unknown. */
export function isUnknown(d: Decision): boolean {
  return d.kind === 'unknown' || d.kind === 'ambiguous-unknown';
}

/**
 * A continuous unknown score consistent with `decide`: the sample is accepted iff
 * max(p1 − η, min(p1 − μ, margin − δ)) ≥ 0, so score = −that; score > 0 ⇔ unknown. Used for AUROC and
 * to compare with other detectors.
 */
export function tripletScore(p: ArrayLike<number>, thresholds: TripletThresholds, muRule: MuRule = 'top1'): number {
  const [l, s] = top2(p);
  const p1 = p[l];
  const margin = p1 - (s === l ? 0 : p[s]);
  const th = thresholds.classes[l];
  const mu = muFor(thresholds, l, muRule);
  return -Math.max(p1 - th.eta, Math.min(p1 - mu, margin - th.delta));
}

function muFor(t: TripletThresholds, l: number, rule: MuRule): number {
  if (rule === 'top1') return t.classes[l].mu;
  const mus = t.classes.map((c) => c.mu);
  return rule === 'min' ? Math.min(...mus) : Math.max(...mus);
}
