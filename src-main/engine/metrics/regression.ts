// Agreement of continuous predictions with continuous labels.

/**
 * Lin's concordance correlation coefficient: 2·cov(x,y) / (var(x) + var(y) + (mean x − mean y)²), with
 * population (1/n) moments, as used for PAD/arousal-valence regression. 0 when both are constant and differ.
 */
export function ccc(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  if (truth.length !== pred.length) throw new Error(`length mismatch: ${truth.length} vs ${pred.length}`);
  const n = truth.length;
  if (n === 0) return 0;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += truth[i];
    my += pred[i];
  }
  mx /= n;
  my /= n;
  let vx = 0, vy = 0, cov = 0;
  for (let i = 0; i < n; i++) {
    const a = truth[i] - mx, b = pred[i] - my;
    vx += a * a;
    vy += b * b;
    cov += a * b;
  }
  vx /= n;
  vy /= n;
  cov /= n;
  const den = vx + vy + (mx - my) ** 2;
  return den > 0 ? (2 * cov) / den : 1; // identical constants agree perfectly
}

/** CCC per PAD axis and their mean, for rows of [P, A, D]. */
export function cccPad(truth: readonly ArrayLike<number>[], pred: readonly ArrayLike<number>[]): { p: number; a: number; d: number; mean: number } {
  const axis = (k: number) => ccc(truth.map((t) => t[k]), pred.map((t) => t[k]));
  const p = axis(0), a = axis(1), d = axis(2);
  return { p, a, d, mean: (p + a + d) / 3 };
}
