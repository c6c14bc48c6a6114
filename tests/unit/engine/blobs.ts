// Synthetic Gaussian blobs for engine tests: seeded, separable when `spread` is small against the centre spacing.
import { makeGaussian, makeRng } from '../../../src-main/engine/odn/rng';

export interface Blobs {
  X: Float32Array[];
  y: Int32Array;
  centres: Float64Array[];
}

/** `perClass` points around each of `nClasses` random centres (coordinates ~ N(0, sep²)) in `dim` dimensions. */
export function makeBlobs(nClasses: number, perClass: number, dim: number, opts: { sep?: number; spread?: number; seed?: number } = {}): Blobs {
  const rng = makeRng(opts.seed ?? 42);
  const g = makeGaussian(rng);
  const sep = opts.sep ?? 3;
  const spread = opts.spread ?? 1;
  const centres = Array.from({ length: nClasses }, () => Float64Array.from({ length: dim }, () => g() * sep));
  const X: Float32Array[] = [];
  const y: number[] = [];
  for (let c = 0; c < nClasses; c++)
    for (let i = 0; i < perClass; i++) {
      X.push(Float32Array.from(centres[c], (m) => m + g() * spread));
      y.push(c);
    }
  return { X, y: Int32Array.from(y), centres };
}

/** Rows and labels of the given classes only, relabelled 0..k-1 in the order given. */
export function pick(b: Blobs, classes: number[]): { X: Float32Array[]; y: Int32Array } {
  const X: Float32Array[] = [];
  const y: number[] = [];
  b.X.forEach((x, i) => {
    const k = classes.indexOf(b.y[i]);
    if (k >= 0) {
      X.push(x);
      y.push(k);
    }
  });
  return { X, y: Int32Array.from(y) };
}
