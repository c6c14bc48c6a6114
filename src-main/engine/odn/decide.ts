// The triplet-threshold decision for one probability vector, following the paper's text (section 3.1):
// - accepted as l when l = argmax and p_l ≥ η_l;
// - unknown when all probabilities are below μ (i.e. p_top1 < μ);
// - in between (μ ≤ p_l < η_l): accepted as l when top1 − top2 ≥ δ_l, else unknown.
// Which μ: the paper writes a bare μ. By default it is the top-1 class's μ_l; 'min' / 'max' use the smallest or
// largest μ over all classes (more or less eager to call "unknown").
// The rule is written once, in `ruleTests` / `kindOfTests`: `decide`, `tripletScore` and the re-thresholding
// preview (pipeline/rethreshold-version.ts `kindOf`, via `decisionKind`) all derive from it.

import type { Decision, DecisionKind } from '../../../shared/domain';
import { top2 } from './rows';
import type { TripletThresholds } from './thresholds';

export type MuRule = 'top1' | 'min' | 'max';

export interface DecideSettings {
  muRule: MuRule;
}

export const DEFAULT_DECIDE_SETTINGS: DecideSettings = { muRule: 'top1' };

/** The three thresholds the rule compares a clip's top-1 class with: its η and δ, and μ (per `MuRule`). */
export interface RuleThresholds {
  eta: number;
  mu: number;
  delta: number;
}

/** The rule's three tests as signed distances: each is ≥ 0 when its test passes. */
interface RuleTests {
  /** p1 − η: accepted outright. */
  eta: number;
  /** p1 − μ: not below the rejection threshold. */
  mu: number;
  /** (p1 − p2) − δ: the margin decides for the top-1 class. */
  delta: number;
}

function ruleTests(p1: number, p2: number, th: RuleThresholds): RuleTests {
  return { eta: p1 - th.eta, mu: p1 - th.mu, delta: p1 - p2 - th.delta };
}

/** The decision rule of §3.1 on the tests. */
function kindOfTests(t: RuleTests): DecisionKind {
  if (t.eta >= 0) return 'accepted';
  if (t.mu < 0) return 'unknown';
  return t.delta >= 0 ? 'ambiguous-accepted' : 'ambiguous-unknown';
}

/** η, μ, δ for top-1 class `l`. */
export function ruleThresholds(t: TripletThresholds, l: number, muRule: MuRule): RuleThresholds {
  const c = t.classes[l];
  return { eta: c.eta, mu: muFor(t, l, muRule), delta: c.delta };
}

/** The kind of decision for a clip's top-1 and top-2 probabilities (all the rule looks at). */
export function decisionKind(p1: number, p2: number, th: RuleThresholds): DecisionKind {
  return kindOfTests(ruleTests(p1, p2, th));
}

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
  const th = ruleThresholds(thresholds, l, muRule);
  const { eta, mu, delta } = th;
  const kind = decisionKind(p1, p2, th);
  const margin = p1 - p2;
  const name = classNames[l];
  const base = { top1: l, top2: s, p1, p2, eta, mu, delta };
  const f = (x: number) => x.toFixed(2);
  const between = `${f(p1)} is below η(${name})=${f(eta)} but above μ=${f(mu)}`;
  switch (kind) {
    case 'accepted':
      return { ...base, kind, label: name, reason: `${f(p1)} ≥ η(${name})=${f(eta)} → ${name}` };
    case 'unknown':
      return { ...base, kind, label: null, reason: `all probabilities below μ=${f(mu)} (top ${name} ${f(p1)}) → unknown` };
    case 'ambiguous-accepted':
      return { ...base, kind, label: name, reason: `${between}; margin ${f(margin)} ≥ δ=${f(delta)} → ${name}` };
    case 'ambiguous-unknown':
      return { ...base, kind, label: null, reason: `${between}; margin ${f(margin)} < δ=${f(delta)} → unknown` };
  }
}

/** Whether a decision calls the sample unknown. */
export function isUnknown(d: Decision): boolean {
  return d.kind === 'unknown' || d.kind === 'ambiguous-unknown';
}

/**
 * A continuous unknown score from the same tests as `decide`: the sample is accepted iff
 * max(p1 − η, min(p1 − μ, margin − δ)) ≥ 0, so score = −that; score > 0 ⇔ unknown. Used for AUROC and
 * to compare with other detectors.
 */
export function tripletScore(p: ArrayLike<number>, thresholds: TripletThresholds, muRule: MuRule = 'top1'): number {
  const [l, s] = top2(p);
  const t = ruleTests(p[l], s === l ? 0 : p[s], ruleThresholds(thresholds, l, muRule));
  return -Math.max(t.eta, Math.min(t.mu, t.delta));
}

function muFor(t: TripletThresholds, l: number, rule: MuRule): number {
  if (rule === 'top1') return t.classes[l].mu;
  const mus = t.classes.map((c) => c.mu);
  return rule === 'min' ? Math.min(...mus) : Math.max(...mus);
}
