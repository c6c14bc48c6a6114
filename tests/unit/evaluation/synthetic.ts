// Gaussian blobs per class and speaker for evaluation tests: each speaker adds its own offset (so per-speaker
// z-scoring has something to remove). Labels are emotion names so that PAD terms exist for them.
import { makeGaussian, makeRng } from '../../../src-main/engine/odn/rng';
import type { FoldData } from '../../../src-main/evaluation/fold';

export const NAMES = ['anger', 'boredom', 'happiness', 'neutral', 'sadness', 'disgust', 'fear'];

export function synthetic(opts: { speakers?: number; perClass?: number; dim?: number; sep?: number; seed?: number } = {}): FoldData {
  const rng = makeRng(opts.seed ?? 5);
  const g = makeGaussian(rng);
  const dim = opts.dim ?? 12;
  const sep = opts.sep ?? 4;
  const centres = NAMES.map(() => Float64Array.from({ length: dim }, () => g() * sep));
  const X: Float32Array[] = [];
  const labels: string[] = [];
  const speakers: string[] = [];
  for (let s = 0; s < (opts.speakers ?? 4); s++) {
    const offset = Float64Array.from({ length: dim }, () => g() * 2);
    NAMES.forEach((name, c) => {
      for (let i = 0; i < (opts.perClass ?? 10); i++) {
        X.push(Float32Array.from(centres[c], (m, j) => m + offset[j] + g()));
        labels.push(name);
        speakers.push(`s${s}`);
      }
    });
  }
  return { X, labels, speakers };
}
