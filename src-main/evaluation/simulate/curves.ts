// Fold ledgers → one curve over the whole dataset. Every clip is in exactly one fold's pool, so a budget is
// spread over the folds in proportion to their pools: at fraction f each fold has spent round(f · pool size)
// decisions, the labels of all pools are pooled, and the point is (Σ decisions, WA, UA) over every clip.

import type { PoolLabels } from './ledger';

export interface CurvePoint {
  decisions: number;
  wa: number;
  ua: number;
}

export interface FoldCurve {
  truth: readonly string[];
  labelsAt: (d: number) => PoolLabels;
}

/** WA and UA of labels against the truth; a missing label (null) is wrong. UA: mean recall over true classes. */
export function labelAccuracy(truth: readonly string[], labels: PoolLabels): { wa: number; ua: number } {
  const per = new Map<string, { n: number; right: number }>();
  let right = 0;
  truth.forEach((t, i) => {
    const ok = labels[i] === t;
    right += ok ? 1 : 0;
    const c = per.get(t) ?? { n: 0, right: 0 };
    c.n++;
    c.right += ok ? 1 : 0;
    per.set(t, c);
  });
  const recalls = [...per.values()].map((c) => c.right / c.n);
  return { wa: truth.length ? right / truth.length : 0, ua: recalls.length ? recalls.reduce((a, b) => a + b, 0) / recalls.length : 0 };
}

/** The pooled curve, one point per distinct total of decisions, from 0 to every pool's size. */
export function pooledCurve(folds: readonly FoldCurve[]): CurvePoint[] {
  const total = folds.reduce((s, f) => s + f.truth.length, 0);
  const truth = folds.flatMap((f) => [...f.truth]);
  const out: CurvePoint[] = [];
  for (let k = 0; k <= total; k++) {
    const f = total ? k / total : 0;
    const spent = folds.map((fold) => Math.round(f * fold.truth.length));
    const decisions = spent.reduce((a, b) => a + b, 0);
    if (out.length && out[out.length - 1].decisions === decisions) continue;
    const labels = folds.flatMap((fold, i) => [...fold.labelsAt(spent[i])]);
    out.push({ decisions, ...labelAccuracy(truth, labels) });
  }
  return out;
}

/** Area under the UA curve, decisions as a share of the dataset (0…1): 1 would be every label right at once. */
export function areaUnderCurve(curve: readonly CurvePoint[]): number {
  if (curve.length < 2) return curve[0]?.ua ?? 0;
  const span = curve[curve.length - 1].decisions - curve[0].decisions;
  let a = 0;
  for (let i = 1; i < curve.length; i++) a += ((curve[i].decisions - curve[i - 1].decisions) * (curve[i].ua + curve[i - 1].ua)) / 2;
  return span > 0 ? a / span : curve[0].ua;
}

/** Fewest decisions after which UA stays at or above `target`, or null when it never gets there. */
export function decisionsTo(curve: readonly CurvePoint[], target: number): number | null {
  for (let i = 0; i < curve.length; i++) if (curve.slice(i).every((p) => p.ua >= target)) return curve[i].decisions;
  return null;
}
