// Sample data for the panel preview: five EmoDB classes placed on the paper's Table 1 vectors, four clips
// (one per decision kind) decided the way src-main/engine/odn/decide.ts decides (μ of the top-1 class, the
// same reason sentences), and a cloud of unknown clips' PAD points made with eq. 4. Sample values, not results.
import type { Decision, DecisionKind, Pad, PadTerm } from '../shared/domain';
import { EODN_TABLE1, RUSSELL_MEHRABIAN_151 } from '../shared/pad-tables';

export const CLASSES = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
const TABLE1_NAME: Record<string, string> = { anger: 'Anger', boredom: 'Boring', happiness: 'Happy', neutral: 'Neutral', sadness: 'Sad' };
export const KNOWN = CLASSES.map((name) => ({ name, pad: EODN_TABLE1.find((t) => t.name === TABLE1_NAME[name])!.pad }));
export const TABLE: PadTerm[] = [...RUSSELL_MEHRABIAN_151];

export const THRESHOLDS = [
  { eta: 0.74, mu: 0.36, delta: 0.18 },
  { eta: 0.68, mu: 0.33, delta: 0.21 },
  { eta: 0.63, mu: 0.3, delta: 0.22 },
  { eta: 0.59, mu: 0.28, delta: 0.16 },
  { eta: 0.71, mu: 0.34, delta: 0.24 },
];

export function decideSample(p: number[]): Decision {
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const [[p1, top1], [p2, top2]] = order;
  const { eta, mu, delta } = THRESHOLDS[top1];
  const name = CLASSES[top1];
  const f = (x: number) => x.toFixed(2);
  const base = { top1, top2, p1, p2, eta, mu, delta };
  const margin = p1 - p2;
  const between = `${f(p1)} is below η(${name})=${f(eta)} but above μ=${f(mu)}`;
  let kind: DecisionKind;
  let reason: string;
  if (p1 >= eta) [kind, reason] = ['accepted', `${f(p1)} ≥ η(${name})=${f(eta)} → ${name}`];
  else if (p1 < mu) [kind, reason] = ['unknown', `all probabilities below μ=${f(mu)} (top ${name} ${f(p1)}) → unknown`];
  else if (margin >= delta) [kind, reason] = ['ambiguous-accepted', `${between}; margin ${f(margin)} ≥ δ=${f(delta)} → ${name}`];
  else [kind, reason] = ['ambiguous-unknown', `${between}; margin ${f(margin)} < δ=${f(delta)} → unknown`];
  const label = kind === 'accepted' || kind === 'ambiguous-accepted' ? name : null;
  return { ...base, kind, label, reason };
}

export interface SampleClip {
  title: string;
  probabilities: number[];
  detectors: { name: string; score: number; threshold: number; unknown: boolean }[];
}

export const SAMPLE_CLIPS: SampleClip[] = [
  {
    title: '03a01Fa.wav (speaker 03)',
    probabilities: [0.04, 0.02, 0.83, 0.07, 0.04],
    detectors: [
      { name: 'MSP', score: 0.17, threshold: 0.46, unknown: false },
      { name: 'OpenMax', score: 0.08, threshold: 0.31, unknown: false },
      { name: 'Mahalanobis', score: 212.4, threshold: 388.0, unknown: false },
    ],
  },
  {
    title: '11b09Td.wav (speaker 11)',
    probabilities: [0.03, 0.09, 0.05, 0.21, 0.62],
    detectors: [
      { name: 'MSP', score: 0.38, threshold: 0.46, unknown: false },
      { name: 'OpenMax', score: 0.27, threshold: 0.31, unknown: false },
      { name: 'Mahalanobis', score: 402.7, threshold: 388.0, unknown: true },
    ],
  },
  {
    title: '08a02Ab.wav (speaker 08, fear: not a known class)',
    probabilities: [0.41, 0.04, 0.08, 0.14, 0.33],
    detectors: [
      { name: 'MSP', score: 0.59, threshold: 0.46, unknown: true },
      { name: 'OpenMax', score: 0.29, threshold: 0.31, unknown: false },
      { name: 'Mahalanobis', score: 455.1, threshold: 388.0, unknown: true },
    ],
  },
  {
    title: '16b10Eb.wav (speaker 16, disgust: not a known class)',
    probabilities: [0.27, 0.19, 0.12, 0.2, 0.22],
    detectors: [
      { name: 'MSP', score: 0.73, threshold: 0.46, unknown: true },
      { name: 'OpenMax', score: 0.44, threshold: 0.31, unknown: true },
      { name: 'Mahalanobis', score: 517.9, threshold: 388.0, unknown: true },
    ],
  },
];

/** Eq. 4: the probability-weighted mix of the known classes' standard vectors. */
export function padOf(p: number[]): Pad {
  const out = [0, 0, 0];
  p.forEach((w, j) => KNOWN[j].pad.forEach((v, k) => (out[k] += w * v)));
  return [out[0], out[1], out[2]];
}

/** Eq. 5: the k nearest table terms by Euclidean distance. */
export function nearestOf(f: Pad, k = 3): { name: string; distance: number }[] {
  return TABLE.map((t) => ({ name: t.name, distance: Math.hypot(f[0] - t.pad[0], f[1] - t.pad[1], f[2] - t.pad[2]) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, k);
}

/** PAD points of 60 unknown clips: probabilities drawn leaning toward anger and sadness, then eq. 4. */
export function unknownCloud(n = 60, seed = 7): { pad: Pad; label: string }[] {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const lean = [2.2, 0.8, 0.6, 1.0, 1.8];
  return Array.from({ length: n }, (_, i) => {
    const w = lean.map((a) => -Math.log(1 - rand()) * a);
    const sum = w.reduce((x, y) => x + y, 0);
    return { pad: padOf(w.map((x) => x / sum)), label: `unknown clip ${i + 1}` };
  });
}
