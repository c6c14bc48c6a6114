// Vote tables: votes per category per unit, the shape crowd ratings come in (and the shape a project's
// answers take once each annotator's latest answer per clip is counted). Majorities, ties, and how often the
// majority is the emotion the clip was meant to carry.

export interface VoteUnit {
  id: string;
  /** What the unit belongs to for per-group figures (an actor, a speaker); null when unknown. */
  group: string | null;
  /** The category the unit was meant to carry (an acted emotion, an import label), as an index; null if none. */
  intended: number | null;
  /** counts[j]: votes for categories[j]. */
  counts: number[];
}

export interface VoteTable {
  categories: string[];
  units: VoteUnit[];
}

/** The indices of the most-voted categories (several on a tie; none when the unit has no vote). */
export function majority(counts: readonly number[]): number[] {
  let best = 0;
  for (const c of counts) best = Math.max(best, c);
  if (best === 0) return [];
  const out: number[] = [];
  counts.forEach((c, j) => {
    if (c === best) out.push(j);
  });
  return out;
}

export interface MajorityShare {
  /** Units with an intended category and at least one vote. */
  clips: number;
  /** Share whose majority is the intended category alone (a tie counts as a miss). */
  share: number;
  /** Share with a tie broken at random: a k-way tie that includes the intended category counts 1/k. */
  shareTiesSplit: number;
  /** Units whose top vote is a tie. */
  ties: number;
}

export interface MajorityVsIntended extends MajorityShare {
  /** By intended category. */
  perClass: Record<string, MajorityShare>;
  /**
   * rows: intended category, columns: majority category; a k-way tie adds 1/k to each tied column, so each
   * row sums to its clip count.
   */
  confusion: { labels: string[]; matrix: number[][] };
}

function emptyShare(): { clips: number; hits: number; split: number; ties: number } {
  return { clips: 0, hits: 0, split: 0, ties: 0 };
}

const finish = (s: ReturnType<typeof emptyShare>): MajorityShare => ({
  clips: s.clips,
  share: s.clips ? s.hits / s.clips : NaN,
  shareTiesSplit: s.clips ? s.split / s.clips : NaN,
  ties: s.ties,
});

export function majorityVsIntended(table: VoteTable): MajorityVsIntended {
  const k = table.categories.length;
  const all = emptyShare();
  const per = table.categories.map(() => emptyShare());
  const matrix = table.categories.map(() => new Array<number>(k).fill(0));
  for (const u of table.units) {
    if (u.intended === null) continue;
    const top = majority(u.counts);
    if (top.length === 0) continue;
    for (const s of [all, per[u.intended]]) {
      s.clips++;
      if (top.length > 1) s.ties++;
      if (top.includes(u.intended)) {
        s.split += 1 / top.length;
        if (top.length === 1) s.hits++;
      }
    }
    for (const j of top) matrix[u.intended][j] += 1 / top.length;
  }
  const perClass: Record<string, MajorityShare> = {};
  table.categories.forEach((c, j) => (perClass[c] = finish(per[j])));
  return { ...finish(all), perClass, confusion: { labels: [...table.categories], matrix } };
}
