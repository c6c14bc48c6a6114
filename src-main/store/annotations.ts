// The append-only annotation log (triggers forbid UPDATE/DELETE) and the derived current label that is kept
// on the clip row in the same transaction, so the library can filter and sort by it without replaying history.
import type Database from 'better-sqlite3';
import type { Annotation, AnnotationAction } from '../../shared/domain';
import type { ClassesTable } from './classes';
import { deriveLabelState, type LabelEvent } from './current-label';
import { StoreError } from './errors';

export interface AnnotationInput {
  annotator: string;
  action: AnnotationAction;
  /** accept/relabel/new-class: the label given; reject: the label rejected (may be null); undo: ignored. */
  label?: string | null;
  modelVersionId?: number | null;
  /** An adjudicator's decision where annotators disagree (accept, relabel or new-class only); see current-label.ts. */
  adjudicated?: boolean;
}

interface AnnotationRaw {
  id: number;
  clip_id: number;
  annotator: string;
  action: AnnotationAction;
  label: string | null;
  model_version_id: number | null;
  created_at: string;
  adjudicated: number;
}

const toAnnotation = (r: AnnotationRaw): Annotation => ({
  id: r.id,
  clipId: r.clip_id,
  annotator: r.annotator,
  action: r.action,
  label: r.label,
  modelVersionId: r.model_version_id,
  createdAt: r.created_at,
  ...(r.adjudicated === 1 ? { adjudicated: true as const } : {}),
});

const ACTIONS: readonly AnnotationAction[] = ['accept', 'reject', 'relabel', 'new-class', 'undo'];

export class AnnotationsTable {
  private readonly insertStmt: Database.Statement;
  private readonly historyStmt: Database.Statement;
  private readonly clipStmt: Database.Statement;
  private readonly stateStmt: Database.Statement;
  private readonly getStmt: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly classes: ClassesTable,
  ) {
    this.insertStmt = db.prepare(
      'INSERT INTO annotations (clip_id, annotator, action, label, model_version_id, created_at, adjudicated) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.historyStmt = db.prepare('SELECT * FROM annotations WHERE clip_id = ? ORDER BY id');
    this.clipStmt = db.prepare('SELECT import_label FROM clips WHERE id = ?');
    this.stateStmt = db.prepare('UPDATE clips SET current_label = ?, reviewed = ? WHERE id = ?');
    this.getStmt = db.prepare('SELECT * FROM annotations WHERE id = ?');
  }

  history(clipId: number): Annotation[] {
    return (this.historyStmt.all(clipId) as AnnotationRaw[]).map(toAnnotation);
  }

  /** Validates and appends one entry, then updates the clip's derived label. Call inside a write transaction. */
  append(clipId: number, input: AnnotationInput): Annotation {
    const clip = this.clipStmt.get(clipId) as { import_label: string | null } | undefined;
    if (!clip) throw new StoreError('not-found', `no clip with id ${clipId}`);
    if (!ACTIONS.includes(input.action)) throw new StoreError('invalid', `unknown annotation action ${String(input.action)}`);
    const annotator = typeof input.annotator === 'string' ? input.annotator.trim() : '';
    if (!annotator) throw new StoreError('invalid', 'annotator is required');
    const adjudicated = input.adjudicated === true;
    if (adjudicated && !['accept', 'relabel', 'new-class'].includes(input.action)) {
      throw new StoreError('invalid', `an adjudication names a class (accept, relabel or new-class), not ${input.action}`);
    }
    const history = this.historyStmt.all(clipId) as AnnotationRaw[];
    let label = input.label ?? null;
    switch (input.action) {
      case 'undo': {
        const standing = standingCount(history);
        if (standing === 0) throw new StoreError('invalid', 'nothing to undo: the clip has no answer left to take back');
        label = null;
        break;
      }
      case 'new-class':
        if (!label) throw new StoreError('invalid', 'new-class needs a label');
        if (!this.classes.get(label)) this.classes.add({ name: label, origin: 'discovered' });
        break;
      case 'accept':
      case 'relabel':
        if (!label) throw new StoreError('invalid', `${input.action} needs a label`);
        if (!this.classes.get(label)) throw new StoreError('invalid', `unknown class "${label}": add it first or use new-class`);
        break;
      case 'reject':
        break;
    }
    const info = this.insertStmt.run(clipId, annotator, input.action, label, input.modelVersionId ?? null, new Date().toISOString(), adjudicated ? 1 : 0);
    const row = this.getStmt.get(info.lastInsertRowid) as AnnotationRaw;
    const s = deriveLabelState(clip.import_label, [...(history as LabelEvent[]), row]);
    this.stateStmt.run(s.currentLabel, s.reviewed ? 1 : 0, clipId);
    return toAnnotation(row);
  }
}

function standingCount(history: readonly { action: AnnotationAction }[]): number {
  let n = 0;
  for (const h of history) n = h.action === 'undo' ? Math.max(0, n - 1) : n + 1;
  return n;
}
