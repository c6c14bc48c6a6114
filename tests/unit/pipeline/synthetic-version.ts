// A model version made from generated probabilities on the 80 demo clips: no embedding or training, so the
// threshold and batch-accept tests run in milliseconds. Clips of the 5 known classes get probabilities peaked
// (more or less) on their class; disgust and fear get flatter ones, as an open-set head would give them.
import { computeThresholds, decide, makeRng, softmax } from '../../../src-main/engine/odn';
import { saveVersion } from '../../../src-main/pipeline/save-version';
import type { ModelVersion, NewPrediction } from '../../../src-main/store/models';
import type { ProjectStore } from '../../../src-main/store/project-store';

export const KNOWN = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];

export function addSyntheticVersion(store: ProjectStore, seed = 7, extraMetrics: Record<string, unknown> = {}): ModelVersion {
  const rand = makeRng(seed);
  const rows = store.listClipRows({ offset: 0, limit: 1000, sort: { by: 'name', dir: 'asc' } }).rows;
  const probs = rows.map((r) => {
    const k = KNOWN.indexOf(r.currentLabel ?? '');
    const sharp = k >= 0 ? 1 + 3 * rand() : 0.5 * rand();
    const logits = KNOWN.map((_, i) => (i === k ? sharp : 0) + rand() * 1.5);
    return Float64Array.from(softmax(Float64Array.from(logits)));
  });
  const known = rows.map((r, i) => [r, probs[i]] as const).filter(([r]) => KNOWN.includes(r.currentLabel ?? ''));
  const thresholds = computeThresholds(known.map(([, p]) => p), Int32Array.from(known, ([r]) => KNOWN.indexOf(r.currentLabel!)), { epsilon: 0.7, rho: 0.5 });
  const predictions: NewPrediction[] = rows.map((r, i) => ({
    clipId: r.id,
    probs: Float32Array.from(probs[i]),
    decision: decide(probs[i], thresholds, KNOWN),
    pad: null,
    nearest: [],
  }));
  return saveVersion(store, {
    parentId: null,
    name: 'synthetic',
    classes: KNOWN,
    bundle: { format: 'synthetic-test-head' },
    thresholds,
    settings: { epsilon: 0.7, rho: 0.5, muRule: 'top1' },
    metrics: { decisions: {}, labelledOutside: { n: 0, calledUnknown: 0 }, predicted: rows.length, ...extraMetrics },
    predictions,
    activate: true,
  });
}
