// The Review view's progress: how many of the project's clips have an answer, and where the next clip
// without one is in the queue.

/**
 * Index of the first unreviewed row after `index`, wrapping round to the start; null when every row is
 * reviewed. The current row itself counts only when it is the sole unreviewed one.
 */
export function nextUnreviewed(rows: readonly { reviewed: boolean }[], index: number): number | null {
  const n = rows.length;
  for (let k = 1; k <= n; k++) {
    const i = (index + k) % n;
    if (!rows[i].reviewed) return i;
  }
  return null;
}

/** "12 of 80 reviewed (15 %)". */
export function progressLine(reviewed: number, total: number): string {
  const pct = total > 0 ? Math.round((100 * reviewed) / total) : 0;
  return `${reviewed} of ${total} reviewed (${pct} %)`;
}
