// Merging the answers of project copies (several annotators, each with a copy of the same audio) into one.
//
// Clips are matched by what identifies them in a project: the audio's content hash and the segment
// (clips_identity), never by path, so copies on other machines or folders match. Every decision keeps its
// annotator, action, label and time; decisions that disagree stay side by side (agreement statistics want
// them). A decision is identified by (clip, annotator, action, label, time): what the target already holds is
// not added again, so merging the same copy twice, or copies that already hold each other's decisions,
// adds nothing.
//
// Only a copy's *standing* decisions travel: an undo means "take back the latest answer still standing", a
// position in one history that a merged history cannot keep, so each copy's undos are resolved where they
// were made and neither an undo nor the answer it took back is merged (both are counted in the report).
// Model version ids belong to the copy's own models and are dropped; an adjudication stays one. New decisions are appended in time
// order, and each touched clip's current label is re-derived from its history, as an answer would.
// Everything is one write transaction: a failure leaves the target as it was.
import type { MergeResult } from '../../shared/api';
import type { AnnotationAction, EmotionClass } from '../../shared/domain';
import { deriveLabelState, standingEvents, type LabelEvent } from './current-label';
import { StoreError } from './errors';
import { ProjectStore } from './project-store';

/** What a merge did, per copy and in all: the API's `projects.merge` result is the same shape. */
export type MergeReport = MergeResult;
export type MergeSourceReport = MergeResult['sources'][number];

interface DecisionRow {
  id: number;
  clip_id: number;
  annotator: string;
  action: AnnotationAction;
  label: string | null;
  created_at: string;
  /** An adjudicator's decision (travels as one). */
  adjudicated: number;
}

interface ClipKeyRow {
  id: number;
  hash: string;
  segment_start: number | null;
  segment_end: number | null;
}

const clipKey = (c: ClipKeyRow) => `${c.hash}\u0000${c.segment_start ?? -1}\u0000${c.segment_end ?? -1}`;
const decisionKey = (clip: string, d: Pick<DecisionRow, 'annotator' | 'action' | 'label' | 'created_at' | 'adjudicated'>) =>
  JSON.stringify([clip, d.annotator, d.action, d.label, d.created_at, d.adjudicated]);

/** Clip id → its identity key, for every clip of a project. */
function clipKeys(store: ProjectStore): Map<number, string> {
  const rows = store.db.prepare('SELECT id, hash, segment_start, segment_end FROM clips').all() as ClipKeyRow[];
  return new Map(rows.map((r) => [r.id, clipKey(r)]));
}

interface SourceData {
  file: string;
  decisions: number;
  /** Standing decisions with their clip key, oldest first. */
  standing: (DecisionRow & { key: string })[];
  classes: EmotionClass[];
}

function readSource(file: string): SourceData {
  const from = ProjectStore.open(file, { readonly: true });
  try {
    const keys = clipKeys(from);
    const rows = from.db.prepare('SELECT id, clip_id, annotator, action, label, created_at, adjudicated FROM annotations ORDER BY clip_id, id').all() as DecisionRow[];
    const standing: SourceData['standing'] = [];
    let start = 0;
    while (start < rows.length) {
      let end = start;
      while (end < rows.length && rows[end].clip_id === rows[start].clip_id) end++;
      const key = keys.get(rows[start].clip_id)!;
      for (const d of standingEvents(rows.slice(start, end))) standing.push({ ...d, key });
      start = end;
    }
    return { file: from.file, decisions: rows.length, standing, classes: from.classes() };
  } finally {
    from.close();
  }
}

/** Merges the standing decisions of each `from` copy into `into` (opened read-write), in one transaction. */
export function mergeProjects(into: ProjectStore, fromFiles: readonly string[]): MergeReport {
  if (into.readOnlyReason) throw new StoreError('read-only', `${into.file}: ${into.readOnlyReason}; cannot merge into it`);
  // Read every copy before the write transaction starts: a copy that cannot be read fails the merge early.
  const sources = fromFiles.map(readSource);
  for (const s of sources) if (s.file === into.file) throw new StoreError('invalid', `${s.file}: cannot merge a project into itself`);
  return into.write(() => {
    const byKey = new Map<string, number>();
    for (const [id, key] of clipKeys(into)) byKey.set(key, id);
    // How many times each decision is already there (a multiset, so two identical decisions in one copy stay two).
    const have = new Map<string, number>();
    const keyOfClip = new Map([...byKey].map(([k, id]) => [id, k]));
    for (const d of into.db.prepare('SELECT clip_id, annotator, action, label, created_at, adjudicated FROM annotations').all() as DecisionRow[]) {
      const k = decisionKey(keyOfClip.get(d.clip_id)!, d);
      have.set(k, (have.get(k) ?? 0) + 1);
    }
    const classes = new Set(into.classes().map((c) => c.name));
    const classesAdded: string[] = [];
    const insert = into.db.prepare('INSERT INTO annotations (clip_id, annotator, action, label, model_version_id, created_at, adjudicated) VALUES (?, ?, ?, ?, NULL, ?, ?)');
    const touched = new Set<number>();
    const reports: MergeSourceReport[] = [];
    const nameNow = into.classNamer();
    let added = 0;
    for (const s of sources) {
      const r: MergeSourceReport = { file: s.file, decisions: s.decisions, undone: s.decisions - s.standing.length, added: 0, alreadyThere: 0, unmatched: 0, renamed: 0 };
      const seenHere = new Map<string, number>();
      const fresh: (DecisionRow & { clipId: number })[] = [];
      for (const source of s.standing) {
        const clipId = byKey.get(source.key);
        if (clipId === undefined) {
          r.unmatched++;
          continue;
        }
        // A class the open project renamed or merged since the copy was made: the copy's answer lands under the
        // name the class has now (as accepting an old model's label does). Keyed by that name too, so a second
        // merge of the same copy finds it already there.
        const label = source.label === null ? null : nameNow(source.label);
        const d = label === source.label ? source : { ...source, label };
        const k = decisionKey(d.key, d);
        const n = (seenHere.get(k) ?? 0) + 1;
        seenHere.set(k, n);
        if (n <= (have.get(k) ?? 0)) {
          r.alreadyThere++;
          continue;
        }
        have.set(k, n);
        fresh.push({ ...d, clipId });
        if (d !== source) r.renamed++;
      }
      // Time order, so a clip's merged answers replay as they were given (ISO times sort as text).
      fresh.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id));
      for (const d of fresh) {
        if (d.label !== null && d.action !== 'reject' && !classes.has(d.label)) {
          const c = s.classes.find((x) => x.name === d.label);
          into.addClass({ name: d.label, pad: c?.pad ?? null, origin: c?.origin ?? 'discovered' });
          classes.add(d.label);
          classesAdded.push(d.label);
        }
        insert.run(d.clipId, d.annotator, d.action, d.label, d.created_at, d.adjudicated);
        touched.add(d.clipId);
        r.added++;
      }
      added += r.added;
      reports.push(r);
    }
    const clipStmt = into.db.prepare('SELECT import_label FROM clips WHERE id = ?');
    const history = into.db.prepare('SELECT action, label, annotator, adjudicated FROM annotations WHERE clip_id = ? ORDER BY id');
    const update = into.db.prepare('UPDATE clips SET current_label = ?, reviewed = ? WHERE id = ?');
    for (const id of touched) {
      const { import_label } = clipStmt.get(id) as { import_label: string | null };
      const st = deriveLabelState(import_label, history.all(id) as LabelEvent[]);
      update.run(st.currentLabel, st.reviewed ? 1 : 0, id);
    }
    return { sources: reports, added, classesAdded, clipsTouched: touched.size };
  });
}
