// Sample decisions shaped like the engine's `decide` output (src-main/engine/odn/decide.ts), one per kind, and a version's metrics.
import type { Decision, DecisionKind } from '../../shared/domain';
import type { ModelMetrics } from '../../shared/api';

export const CLASSES = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
export const THRESHOLDS = [
  { eta: 0.72, mu: 0.34, delta: 0.18 },
  { eta: 0.66, mu: 0.3, delta: 0.2 },
  { eta: 0.61, mu: 0.28, delta: 0.22 },
  { eta: 0.58, mu: 0.26, delta: 0.16 },
  { eta: 0.7, mu: 0.32, delta: 0.25 },
];

/** Decides like the engine (μ of the top-1 class) so the fixtures cannot drift into impossible states. */
export function decideLike(p: number[]): Decision {
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const [p1, top1] = order[0];
  const [p2, top2] = order[1];
  const { eta, mu, delta } = THRESHOLDS[top1];
  const name = CLASSES[top1];
  const base = { top1, top2, p1, p2, eta, mu, delta };
  const kind: DecisionKind =
    p1 >= eta ? 'accepted' : p1 < mu ? 'unknown' : p1 - p2 >= delta ? 'ambiguous-accepted' : 'ambiguous-unknown';
  const label = kind === 'accepted' || kind === 'ambiguous-accepted' ? name : null;
  return { ...base, kind, label, reason: `${kind} because p1=${p1.toFixed(2)} (test fixture)` };
}

export const PROBS: Record<DecisionKind, number[]> = {
  accepted: [0.05, 0.04, 0.78, 0.09, 0.04],
  'ambiguous-accepted': [0.08, 0.05, 0.52, 0.21, 0.14],
  'ambiguous-unknown': [0.09, 0.05, 0.46, 0.31, 0.09],
  unknown: [0.24, 0.17, 0.22, 0.2, 0.17],
};

/** A version's metrics as the pipeline writes them (80 demo clips, 57 training clips), with `m` on top. */
export const metrics = (m: Partial<ModelMetrics> = {}): ModelMetrics => ({
  nTrain: 57,
  perClass: {},
  trainAccuracy: 1,
  cv: null,
  decisions: { accepted: 50, 'ambiguous-accepted': 5, 'ambiguous-unknown': 5, unknown: 20 },
  predicted: 80,
  embedErrors: 0,
  labelledOutside: { n: 0, calledUnknown: 0 },
  seconds: 2,
  ...m,
});
