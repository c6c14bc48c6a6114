// Project health: SQLite's own integrity check plus the invariants the schema alone cannot state.
import { deriveLabelState, standingEvents, type LabelEvent } from './current-label';
import { inspectProjectFile, openReadOnlyConnection } from './db';
import { SCHEMA_VERSION } from './migrations';

export interface CheckReport {
  ok: boolean;
  version: number;
  /** Lines of PRAGMA integrity_check other than "ok". */
  integrity: string[];
  problems: string[];
}

const REQUIRED_TRIGGERS = ['annotations_no_update', 'annotations_no_delete', 'model_versions_no_update', 'model_versions_no_delete'];
const MAX_LISTED = 20;

/** Checks a project file without changing it (read-only connection). Throws StoreError if it is not a project. */
export function checkProject(file: string): CheckReport {
  const { version } = inspectProjectFile(file);
  const db = openReadOnlyConnection(file);
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((l) => l !== 'ok');
    const problems: string[] = [];
    const add = (what: string, rows: unknown[]) => {
      if (rows.length) problems.push(`${what}: ${rows.length}${rows.length > MAX_LISTED ? ' (first ' + MAX_LISTED + ')' : ''} ${JSON.stringify(rows.slice(0, MAX_LISTED))}`);
    };
    if (version < SCHEMA_VERSION) {
      problems.push(`format version ${version} is older than ${SCHEMA_VERSION}: open the project read-write to upgrade it`);
      return { ok: false, version, integrity, problems };
    }
    add('foreign key violations', db.pragma('foreign_key_check') as unknown[]);
    const triggers = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]);
    for (const t of REQUIRED_TRIGGERS) if (!triggers.has(t)) problems.push(`append-only trigger ${t} is missing`);
    // An answer that was undone may keep the label of a class deleted since (store deleteClass): only the
    // answers still standing must name a class.
    const unnamed = db
      .prepare(
        `SELECT a.id, a.label, a.clip_id FROM annotations a
         WHERE a.action IN ('accept', 'relabel', 'new-class') AND a.label IS NOT NULL
           AND a.label NOT IN (SELECT name FROM classes)
           AND a.label NOT IN (SELECT import_label FROM clips WHERE import_label IS NOT NULL)`,
      )
      .all() as { id: number; label: string; clip_id: number }[];
    const historyOf = db.prepare('SELECT id, action, label FROM annotations WHERE clip_id = ? ORDER BY id');
    const standing = new Map<number, Set<number>>();
    const stands = (clipId: number, id: number) => {
      if (!standing.has(clipId)) standing.set(clipId, new Set(standingEvents(historyOf.all(clipId) as (LabelEvent & { id: number })[]).map((e) => e.id)));
      return standing.get(clipId)!.has(id);
    };
    add(
      'annotation labels that are neither a class nor an import label',
      unnamed.filter((a) => stands(a.clip_id, a.id)).map(({ id, label }) => ({ id, label })),
    );
    add(
      'annotations referring to a missing model version',
      db.prepare('SELECT id, model_version_id FROM annotations WHERE model_version_id IS NOT NULL AND model_version_id NOT IN (SELECT id FROM model_versions)').all(),
    );
    add(
      'predictions referring to a missing model version or clip',
      db
        .prepare(
          'SELECT model_version_id, clip_id FROM predictions WHERE model_version_id NOT IN (SELECT id FROM model_versions) OR clip_id NOT IN (SELECT id FROM clips)',
        )
        .all(),
    );
    add(
      'predictions whose probability count differs from their version\'s classes',
      db
        .prepare(
          `SELECT p.model_version_id, p.clip_id FROM predictions p JOIN model_versions v ON v.id = p.model_version_id
           WHERE length(p.probs) != 4 * json_array_length(v.classes)`,
        )
        .all(),
    );
    add(
      'active model pointer to a missing version',
      db.prepare('SELECT model_version_id FROM active_model WHERE model_version_id IS NOT NULL AND model_version_id NOT IN (SELECT id FROM model_versions)').all(),
    );
    add(
      'clips whose copy of the active decision differs from the prediction',
      db
        .prepare(
          `SELECT c.id FROM clips c
           LEFT JOIN predictions p ON p.clip_id = c.id AND p.model_version_id = (SELECT model_version_id FROM active_model WHERE id = 1)
           WHERE c.active_decision IS NOT p.decision_kind OR c.active_confidence IS NOT p.confidence`,
        )
        .all(),
    );
    add('import labels without a class', db.prepare('SELECT DISTINCT import_label FROM clips WHERE import_label IS NOT NULL AND import_label NOT IN (SELECT name FROM classes)').all());
    // The derived label must equal a replay of the history.
    // With several annotators the rule of current-label.ts (adjudicated, else majority, else unresolved) applies.
    const history = db.prepare('SELECT action, label, annotator, adjudicated FROM annotations WHERE clip_id = ? ORDER BY id');
    const drift: unknown[] = [];
    const annotated = db.prepare('SELECT id, import_label, current_label, reviewed FROM clips WHERE reviewed = 1 OR id IN (SELECT clip_id FROM annotations) OR current_label IS NOT import_label').all() as {
      id: number;
      import_label: string | null;
      current_label: string | null;
      reviewed: number;
    }[];
    for (const c of annotated) {
      const s = deriveLabelState(c.import_label, history.all(c.id) as LabelEvent[]);
      if (s.currentLabel !== c.current_label || (s.reviewed ? 1 : 0) !== c.reviewed) drift.push({ clip: c.id, stored: c.current_label, derived: s.currentLabel });
    }
    add('clips whose stored current label differs from their history', drift);
    return { ok: integrity.length === 0 && problems.length === 0, version, integrity, problems };
  } finally {
    db.close();
  }
}
