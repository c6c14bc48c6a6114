// A project's answers as a vote table for agreement statistics (engine/agreement): one unit per clip that any
// annotator answered, one vote per annotator, their current answer. History is replayed as the studio does
// (current-label.ts: an undo takes back the latest answer still standing, whoever gave it); an annotator's
// current answer is then their latest standing entry. A reject names no category ("not this label"), so an
// annotator whose latest standing entry is a reject casts no vote on that clip. An adjudicator's decision
// (annotations.adjudicated) is not a vote: it settles the votes, so it is left out of the agreement.
import type { AnnotationAction, Pad } from '../../shared/domain';
import type { CoderMatrix, VoteTable } from '../engine/agreement';
import { standingEvents, type AnnotationVoteRow } from './current-label';
import type { ProjectStore } from './project-store';

const LABELLING: ReadonlySet<AnnotationAction> = new Set(['accept', 'relabel', 'new-class']);

export interface AnnotatorVotes {
  /** Units: clips named by their file name (and segment); group = speaker; intended = import label. */
  table: VoteTable;
  /** Annotators sorted by name; labels[u][j]: annotator j's current answer on unit u, or null. */
  coders: CoderMatrix;
  /** The project's PAD vector per category (null where the class has none). */
  pads: (Pad | null)[];
}

type Row = AnnotationVoteRow;

interface ClipInfo {
  id: number;
  name: string;
  speaker: string | null;
  import_label: string | null;
  segment_start: number | null;
  segment_end: number | null;
}

export function annotatorVotes(store: ProjectStore): AnnotatorVotes {
  const rows = store.db.prepare('SELECT clip_id, annotator, action, label, adjudicated FROM annotations ORDER BY clip_id, id').all() as Row[];
  const byClip = new Map<number, Row[]>();
  for (const r of rows) {
    let h = byClip.get(r.clip_id);
    if (!h) byClip.set(r.clip_id, (h = []));
    h.push(r);
  }
  const answers = new Map<number, Map<string, string>>();
  const annotators = new Set<string>();
  for (const [clipId, history] of byClip) {
    const latest = new Map<string, Row>();
    for (const e of standingEvents(history)) if (e.adjudicated !== 1) latest.set(e.annotator, e);
    const votes = new Map<string, string>();
    for (const [who, e] of latest) if (LABELLING.has(e.action) && e.label !== null) votes.set(who, e.label);
    if (votes.size === 0) continue;
    answers.set(clipId, votes);
    for (const who of votes.keys()) annotators.add(who);
  }
  const classes = store.classes();
  const categories = classes.map((c) => c.name);
  const index = new Map(categories.map((c, i) => [c, i]));
  const pads: (Pad | null)[] = classes.map((c) => c.pad);
  for (const votes of answers.values()) {
    for (const l of votes.values()) {
      if (!index.has(l)) {
        index.set(l, categories.length);
        categories.push(l);
        pads.push(null);
      }
    }
  }
  const coders = [...annotators].sort();
  const clipStmt = store.db.prepare('SELECT id, name, speaker, import_label, segment_start, segment_end FROM clips WHERE id = ?');
  const units: VoteTable['units'] = [];
  const labels: (string | null)[][] = [];
  for (const [clipId, votes] of [...answers].sort(([a], [b]) => a - b)) {
    const c = clipStmt.get(clipId) as ClipInfo;
    const counts = new Array<number>(categories.length).fill(0);
    for (const l of votes.values()) counts[index.get(l)!]++;
    units.push({
      id: c.segment_start === null ? c.name : `${c.name} [${c.segment_start}-${c.segment_end}]`,
      group: c.speaker,
      intended: c.import_label !== null ? (index.get(c.import_label) ?? null) : null,
      counts,
    });
    labels.push(coders.map((who) => votes.get(who) ?? null));
  }
  return { table: { categories, units }, coders: { coders, labels }, pads };
}
