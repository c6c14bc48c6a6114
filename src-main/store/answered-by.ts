// Who answered which clip: an annotator has a standing answer on a clip when, after the clip's history is
// replayed (current-label.ts: an undo takes back the latest answer still standing, whoever gave it), an entry
// of theirs still stands — an accept, a relabel, a new class or a reject. The Library's annotator filter and
// its list of annotators read this; agreement (annotator-votes.ts) counts only answers that name a class.
import type Database from 'better-sqlite3';
import type { AnnotationAction } from '../../shared/domain';
import { standingEvents } from './current-label';

interface Row {
  clip_id: number;
  annotator: string;
  action: AnnotationAction;
  label: string | null;
}

/** Replays the histories of the given rows (ordered by clip, then id) and calls `each` with a clip's standing annotators. */
function replay(rows: readonly Row[], each: (clipId: number, annotators: Set<string>) => void): void {
  let i = 0;
  while (i < rows.length) {
    const clipId = rows[i].clip_id;
    let j = i;
    while (j < rows.length && rows[j].clip_id === clipId) j++;
    each(clipId, new Set(standingEvents(rows.slice(i, j)).map((e) => e.annotator)));
    i = j;
  }
}

/** Ids of the clips on which `annotator` has a standing answer, ascending. */
export function clipIdsAnsweredBy(db: Database.Database, annotator: string): number[] {
  const rows = db
    .prepare(
      `SELECT clip_id, annotator, action, label FROM annotations
       WHERE clip_id IN (SELECT clip_id FROM annotations WHERE annotator = ?) ORDER BY clip_id, id`,
    )
    .all(annotator) as Row[];
  const ids: number[] = [];
  replay(rows, (clipId, who) => {
    if (who.has(annotator)) ids.push(clipId);
  });
  return ids;
}

/** Every annotator with a standing answer, by name, and on how many clips. */
export function answeringAnnotators(db: Database.Database): { name: string; clips: number }[] {
  const rows = db.prepare('SELECT clip_id, annotator, action, label FROM annotations ORDER BY clip_id, id').all() as Row[];
  const counts = new Map<string, number>();
  replay(rows, (_, who) => {
    for (const name of who) counts.set(name, (counts.get(name) ?? 0) + 1);
  });
  return [...counts].map(([name, clips]) => ({ name, clips })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
