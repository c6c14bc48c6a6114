// Renaming a class and merging one class into another, as appended history (issue 18, item 4).
//
// Nothing is rewritten that records a decision: annotations stay append-only and model versions keep the class
// names they were trained with. What changes, all in one transaction:
//   - the import label of every clip imported as the old name becomes the new name (the import is data about
//     the class, not a decision; which clips had it is kept in the change's record, see below);
//   - every clip whose label came from an answer naming the old name gets one appended `relabel` to the new
//     name by the annotator who renamed (an adjudication where other annotators' standing votes would
//     otherwise outvote it, so the label follows the rename under current-label.ts's rule);
//   - a clip whose import label was rejected (no label) gets an appended `reject` of the new name, so it stays
//     without a label;
//   - the old class row is deleted when nothing uses it any more; it stays (with no clip) while a model version
//     knows it or a standing answer names it (an undo of the appended relabel brings that answer back, and
//     `eodn check` wants every standing answer to name a class);
//   - the change is recorded in `meta` under `class_change:<n>`: kind, names, when, who, the clips whose import
//     label changed, the clips relabelled. Nothing about the schema changes.
// A model version that knows the old name: its stored probabilities, decisions and class list keep that name
// (it is that version's record). The project maps the old name to the new one (`currentClassName`) wherever a
// model's label becomes an answer (accept, reject, batch accept) and where the Library shows the predicted
// class, so accepting the old model's suggestion labels the clip with the new name. A model trained after the
// rename learns the new name.
import type Database from 'better-sqlite3';
import { padTermNameFor } from '../../shared/pad-names';
import { findPadTerm, padTable } from '../../shared/pad-tables';
import type { AnnotationsTable } from './annotations';
import { validateClassName, type ClassesTable } from './classes';
import { deriveLabelState, type LabelEvent, type LabelState } from './current-label';
import { StoreError } from './errors';

export type ClassChangeKind = 'rename' | 'merge';

export interface ClassChange {
  kind: ClassChangeKind;
  from: string;
  to: string;
  at: string;
  annotator: string;
  /** Clips whose label was `from` and is now `to`. */
  clips: number;
  /** Clips whose import label changed from `from` to `to`. */
  importLabelClipIds: number[];
  /** Clips that got an appended annotation. */
  annotatedClipIds: number[];
  /** Whether the old class row stayed (a model version or a standing answer still names it). */
  keptOldClass: boolean;
}

const KEY_PREFIX = 'class_change:';

/** Every recorded rename and merge, oldest first. */
export function classChanges(db: Database.Database): ClassChange[] {
  const rows = db.prepare(`SELECT key, value FROM meta WHERE key LIKE '${KEY_PREFIX}%'`).all() as { key: string; value: string }[];
  return rows
    .map((r) => ({ n: Number(r.key.slice(KEY_PREFIX.length)), change: JSON.parse(r.value) as ClassChange }))
    .sort((a, b) => a.n - b.n)
    .map((r) => r.change);
}

/**
 * The name a class is known by now: an old name (a model version's, say) followed through the renames and
 * merges made since. A class created again under an old name after its rename is that new class.
 */
export function currentClassName(changes: readonly ClassChange[], classes: ClassesTable, name: string): string {
  let n = name;
  for (const c of changes) {
    if (c.from !== n) continue;
    const row = classes.get(n);
    if (row && row.createdAt > c.at) continue;
    n = c.to;
  }
  return n;
}

/** Old names that were renamed or merged away and that no clip carries (listed nowhere a class is chosen). */
export function renamedAwayClasses(db: Database.Database, changes: readonly ClassChange[], classes: ClassesTable): Set<string> {
  const away = new Set<string>();
  for (const c of changes) if (currentClassName(changes, classes, c.from) !== c.from) away.add(c.from);
  const carried = db.prepare('SELECT 1 FROM clips WHERE current_label = ? OR import_label = ? LIMIT 1').pluck();
  for (const n of [...away]) if (carried.get(n, n) !== undefined) away.delete(n);
  return away;
}

export interface ClassChangeDeps {
  db: Database.Database;
  classes: ClassesTable;
  annotations: AnnotationsTable;
  /** Whether any model version knows the class. */
  modelKnows: (name: string) => boolean;
  /** Whether a standing answer on some clip names the class. */
  standingAnswerNames: (name: string) => boolean;
}

/** Renames `from` to a new name, or merges `from` into an existing class `to`. Call inside a write transaction. */
export function changeClass(deps: ClassChangeDeps, kind: ClassChangeKind, fromName: string, toName: string, annotatorName: string): ClassChange {
  const { db, classes, annotations } = deps;
  const from = validateClassName(fromName);
  const to = validateClassName(toName);
  const annotator = annotatorName.trim();
  if (!annotator) throw new StoreError('invalid', 'annotator is required');
  const fromRow = classes.get(from);
  if (!fromRow) throw new StoreError('not-found', `there is no class "${from}"`);
  if (from === to) throw new StoreError('invalid', `the class is already called "${from}"`);
  const toRow = classes.get(to);
  if (kind === 'rename' && toRow) throw new StoreError('exists', `class "${to}" already exists: merge "${from}" into it instead`);
  if (kind === 'merge' && !toRow) throw new StoreError('not-found', `there is no class "${to}" to merge "${from}" into`);
  // The new name keeps the old one's place in PAD space: its own vector, else its table term's (a plot finds an
  // imported class by name in the table, and the new name may not be there).
  const pad = fromRow.pad ?? findPadTerm(padTable('combined'), padTermNameFor(from) ?? from)?.pad ?? null;
  if (kind === 'rename') classes.add({ name: to, pad: pad ? [pad[0], pad[1], pad[2]] : null, origin: fromRow.origin });

  const affected = db
    .prepare('SELECT id FROM clips WHERE current_label = @n OR import_label = @n UNION SELECT clip_id FROM annotations WHERE label = @n ORDER BY 1')
    .pluck()
    .all({ n: from }) as number[];
  const importOf = db.prepare('SELECT import_label FROM clips WHERE id = ?').pluck();
  const before = new Map<number, LabelState>();
  for (const id of affected) before.set(id, deriveLabelState(importOf.get(id) as string | null, annotations.history(id) as LabelEvent[]));
  const importLabelClipIds = db.prepare('SELECT id FROM clips WHERE import_label = ? ORDER BY id').pluck().all(from) as number[];
  db.prepare('UPDATE clips SET import_label = ? WHERE import_label = ?').run(to, from);

  const setState = db.prepare('UPDATE clips SET current_label = ?, reviewed = ? WHERE id = ?');
  const stored = db.prepare('SELECT current_label AS label, reviewed FROM clips WHERE id = ?');
  const annotatedClipIds: number[] = [];
  let clips = 0;
  for (const id of affected) {
    const was = before.get(id)!;
    const target: LabelState = { currentLabel: was.currentLabel === from ? to : was.currentLabel, reviewed: was.reviewed };
    if (was.currentLabel === from) clips++;
    const importLabel = importOf.get(id) as string | null;
    const history = annotations.history(id) as LabelEvent[];
    const now = deriveLabelState(importLabel, history);
    if (now.currentLabel === target.currentLabel && now.reviewed === target.reviewed) {
      setState.run(now.currentLabel, now.reviewed ? 1 : 0, id);
      continue;
    }
    if (target.currentLabel === to) {
      const plain = deriveLabelState(importLabel, [...history, { action: 'relabel', label: to, annotator }]);
      annotations.append(id, { action: 'relabel', label: to, annotator, adjudicated: plain.currentLabel !== to });
    } else if (target.currentLabel === null && importLabel === to) {
      // The import label had been rejected: reject the new name too, so the clip stays without a label.
      annotations.append(id, { action: 'reject', label: to, annotator });
    }
    annotatedClipIds.push(id);
    const after = stored.get(id) as { label: string | null; reviewed: number };
    if (after.label !== target.currentLabel || (after.reviewed === 1) !== target.reviewed) {
      throw new StoreError('invalid', `clip ${id}: its label would become "${after.label}" instead of "${target.currentLabel}"; nothing was changed`);
    }
  }

  const keptOldClass =
    (db.prepare('SELECT 1 FROM clips WHERE current_label = ? OR import_label = ? LIMIT 1').pluck().get(from, from) !== undefined) ||
    deps.modelKnows(from) ||
    deps.standingAnswerNames(from);
  if (!keptOldClass) classes.remove(from);

  const change: ClassChange = { kind, from, to, at: new Date().toISOString(), annotator, clips, importLabelClipIds, annotatedClipIds, keptOldClass };
  const n = (db.prepare(`SELECT COUNT(*) FROM meta WHERE key LIKE '${KEY_PREFIX}%'`).pluck().get() as number) + 1;
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(`${KEY_PREFIX}${String(n).padStart(6, '0')}`, JSON.stringify(change));
  return change;
}
