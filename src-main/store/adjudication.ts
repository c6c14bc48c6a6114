// Adjudication (issue 14): where annotators' standing answers differ, and each clip's votes with the step of
// the label rule that decided it (current-label.ts: adjudicated, else majority, else unresolved). An
// adjudicator's decision is one more appended annotation with adjudicated = 1 (migration v5); it is not a vote.
import type Database from 'better-sqlite3';
import { resolveLabel, type AnnotationVoteRow, type LabelRule } from './current-label';
import { StoreError } from './errors';

type Row = AnnotationVoteRow;

export interface ClipVotesInfo {
  clipId: number;
  /** Each annotator's standing answer that names a class, by annotator name. */
  votes: { annotator: string; label: string }[];
  /** The adjudication that decided the label, if one stands. */
  adjudication: { annotator: string; label: string } | null;
  rule: LabelRule;
  /** The label the rule gives (the clip's current label). */
  label: string | null;
  /** Two or more different labels among the votes. */
  disagreement: boolean;
}

const disagree = (votes: readonly { label: string }[]) => new Set(votes.map((v) => v.label)).size >= 2;

/** Calls `each` with every annotated clip's history (ordered by id), clip by clip. */
function eachHistory(db: Database.Database, clipIds: readonly number[] | null, each: (clipId: number, history: Row[]) => void): void {
  const cols = 'clip_id, annotator, action, label, adjudicated';
  const rows = (
    clipIds === null
      ? db.prepare(`SELECT ${cols} FROM annotations ORDER BY clip_id, id`).all()
      : db.prepare(`SELECT ${cols} FROM annotations WHERE clip_id IN (SELECT value FROM json_each(?)) ORDER BY clip_id, id`).all(JSON.stringify(clipIds))
  ) as Row[];
  let i = 0;
  while (i < rows.length) {
    let j = i;
    while (j < rows.length && rows[j].clip_id === rows[i].clip_id) j++;
    each(rows[i].clip_id, rows.slice(i, j));
    i = j;
  }
}

/** Ids of the clips whose annotators' standing answers name two or more different classes (adjudicated or not), ascending. */
export function disagreementClipIds(db: Database.Database): number[] {
  const ids: number[] = [];
  eachHistory(db, null, (clipId, history) => {
    if (disagree(resolveLabel(null, history).votes)) ids.push(clipId);
  });
  return ids;
}

/** The votes on each clip and how its label was decided, in the order asked. */
export function clipVotes(db: Database.Database, clipIds: readonly number[]): ClipVotesInfo[] {
  const imports = new Map<number, string | null>();
  const stmt = db.prepare('SELECT id, import_label FROM clips WHERE id IN (SELECT value FROM json_each(?))');
  for (const r of stmt.all(JSON.stringify(clipIds)) as { id: number; import_label: string | null }[]) imports.set(r.id, r.import_label);
  for (const id of clipIds) if (!imports.has(id)) throw new StoreError('not-found', `no clip with id ${id}`);
  const histories = new Map<number, Row[]>();
  eachHistory(db, clipIds, (clipId, history) => histories.set(clipId, history));
  return clipIds.map((clipId) => {
    const r = resolveLabel(imports.get(clipId) ?? null, histories.get(clipId) ?? []);
    return { clipId, votes: r.votes, adjudication: r.adjudication, rule: r.rule, label: r.currentLabel, disagreement: disagree(r.votes) };
  });
}
