// Threshold-free detection quality.

/**
 * Area under the ROC curve of `scores` (higher = more positive) against `positive`, via the Mann-Whitney U
 * statistic with average ranks, so tied scores count one half. NaN when either class is empty.
 */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  if (scores.length !== positive.length) throw new Error(`length mismatch: ${scores.length} vs ${positive.length}`);
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const rank = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const r = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let k = i; k <= j; k++) rank[idx[k]] = r;
    i = j + 1;
  }
  let nPos = 0, sumPos = 0;
  for (let i = 0; i < n; i++)
    if (positive[i]) {
      nPos++;
      sumPos += rank[i];
    }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (sumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
