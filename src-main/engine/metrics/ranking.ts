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

/**
 * The flags (score > threshold) of the threshold that maximises F1 of `positive` on these very scores: a
 * ceiling for any rule that thresholds the same scores, not a result (it looks at the labels it is scored on).
 * Candidate thresholds sit between distinct scores, plus "flag nothing"; ties are flagged together. The first
 * best threshold from the top wins, i.e. the one flagging fewest clips.
 */
export function bestF1Flags(scores: ArrayLike<number>, positive: ArrayLike<boolean>): boolean[] {
  if (scores.length !== positive.length) throw new Error(`length mismatch: ${scores.length} vs ${positive.length}`);
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) nPos++;
  let tp = 0, best = 0, bestCount = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && scores[idx[j]] === scores[idx[i]]) {
      if (positive[idx[j]]) tp++;
      j++;
    }
    // flagging the top j clips: F1 = 2tp / (flagged + positives)
    const f1 = (2 * tp) / (j + nPos);
    if (f1 > best) {
      best = f1;
      bestCount = j;
    }
    i = j;
  }
  const flags = new Array<boolean>(n).fill(false);
  for (let k = 0; k < bestCount; k++) flags[idx[k]] = true;
  return flags;
}
