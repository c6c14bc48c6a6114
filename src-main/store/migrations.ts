// Versioned schema. MIGRATIONS[i] takes a project file from version i to version i + 1
// (PRAGMA user_version). Steps are append-only history: never edit a released step, add a new one.
// All pending steps run in one transaction, so a failure leaves the file at its old version.
import type Database from 'better-sqlite3';
import { deriveLabelState, type LabelEvent } from './current-label';

/** PRAGMA application_id of a project file ("EODN" in ASCII): tells our files from other SQLite files. */
export const APPLICATION_ID = 0x454f444e;

export interface Migration {
  description: string;
  sql?: string;
  /** For steps SQL alone cannot express (backfills). Runs after `sql`. */
  run?: (db: Database.Database) => void;
}

const APPEND_ONLY = (table: string, what: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are append-only: DELETE is not allowed'); END;`;

export const MIGRATIONS: readonly Migration[] = [
  {
    description: 'v1: meta, clips, classes, annotations, model versions, predictions, active model',
    sql: `
PRAGMA application_id = ${APPLICATION_ID};
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE clips (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  duration_sec REAL NOT NULL,
  file_duration_sec REAL,
  sample_rate INTEGER NOT NULL,
  channels INTEGER NOT NULL,
  segment_start REAL,
  segment_end REAL,
  speaker TEXT,
  import_label TEXT,
  import_p REAL, import_a REAL, import_d REAL,
  missing INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),
  added_at TEXT NOT NULL,
  CHECK ((segment_start IS NULL) = (segment_end IS NULL))
);
-- NULLs are distinct in a UNIQUE index, so whole-file clips are keyed with -1.
CREATE UNIQUE INDEX clips_identity ON clips (hash, IFNULL(segment_start, -1), IFNULL(segment_end, -1));
CREATE INDEX clips_path ON clips (path);
CREATE TABLE classes (
  name TEXT PRIMARY KEY,
  p REAL, a REAL, d REAL,
  origin TEXT NOT NULL CHECK (origin IN ('import', 'discovered', 'manual')),
  created_at TEXT NOT NULL
);
CREATE TABLE model_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER REFERENCES model_versions (id),
  created_at TEXT NOT NULL,
  name TEXT NOT NULL,
  classes TEXT NOT NULL,
  head TEXT NOT NULL,
  thresholds TEXT NOT NULL,
  settings TEXT NOT NULL,
  metrics TEXT NOT NULL
);
${APPEND_ONLY('model_versions', 'model versions')}
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  clip_id INTEGER NOT NULL REFERENCES clips (id),
  annotator TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'relabel', 'new-class', 'undo')),
  label TEXT,
  model_version_id INTEGER REFERENCES model_versions (id),
  created_at TEXT NOT NULL
);
CREATE INDEX annotations_clip ON annotations (clip_id, id);
${APPEND_ONLY('annotations', 'annotations')}
CREATE TABLE predictions (
  model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
  clip_id INTEGER NOT NULL REFERENCES clips (id),
  probs BLOB NOT NULL,
  decision_kind TEXT NOT NULL CHECK (decision_kind IN ('accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown')),
  confidence REAL NOT NULL,
  decision TEXT NOT NULL,
  pad_p REAL, pad_a REAL, pad_d REAL,
  nearest TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  PRIMARY KEY (model_version_id, clip_id)
);
CREATE INDEX predictions_clip ON predictions (clip_id);
CREATE TABLE active_model (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  model_version_id INTEGER REFERENCES model_versions (id)
);
INSERT INTO active_model (id, model_version_id) VALUES (1, NULL);
`,
  },
  {
    description: 'v2: embeddings cache and jobs',
    sql: `
CREATE TABLE embeddings (
  clip_hash TEXT NOT NULL,
  segment TEXT NOT NULL DEFAULT '',
  encoder_id TEXT NOT NULL,
  settings_hash TEXT NOT NULL,
  dim INTEGER NOT NULL CHECK (dim > 0),
  vector BLOB NOT NULL CHECK (length(vector) = 4 * dim),
  created_at TEXT NOT NULL,
  PRIMARY KEY (clip_hash, segment, encoder_id, settings_hash)
);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  done INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  params TEXT NOT NULL DEFAULT '{}',
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX jobs_state ON jobs (state);
`,
  },
  {
    description: 'v3: derived columns on clips for the library list (current label, active decision) and their indexes',
    // The active version's decision and confidence are copied onto the clip: joining 100,000 predictions to
    // sort a page took ~300 ms; with the copy and an index it takes a few.
    sql: `
ALTER TABLE clips ADD COLUMN current_label TEXT;
ALTER TABLE clips ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1));
ALTER TABLE clips ADD COLUMN active_decision TEXT;
ALTER TABLE clips ADD COLUMN active_confidence REAL;
CREATE INDEX clips_name ON clips (name, id);
CREATE INDEX clips_duration ON clips (duration_sec, id);
CREATE INDEX clips_current_label ON clips (current_label, id);
CREATE INDEX clips_speaker ON clips (speaker, id);
CREATE INDEX clips_active_confidence ON clips (active_confidence, id);
CREATE INDEX clips_active_decision ON clips (active_decision, id);
`,
    run: (db) => {
      backfillLabelState(db);
      syncActiveDecisions(db);
    },
  },
  {
    description: 'v4: model_versions.head renamed bundle (it holds the whole model bundle, which holds the heads)',
    // RENAME COLUMN rewrites what refers to the column; the append-only triggers name none, and a schema
    // change fires no UPDATE trigger.
    sql: `
ALTER TABLE model_versions RENAME COLUMN head TO bundle;
`,
  },
  {
    description: "v5: annotations.adjudicated marks an adjudicator's decision (several annotators disagreed); labels re-derived",
    // ADD COLUMN fires no UPDATE trigger: the history stays append-only. An adjudication names a class, so it is
    // an accept, a relabel or a new class. A clip with several annotators now takes the label of the rule in
    // current-label.ts (adjudicated, else majority, else unresolved): every derived label is replayed again.
    sql: `
ALTER TABLE annotations ADD COLUMN adjudicated INTEGER NOT NULL DEFAULT 0
  CHECK (adjudicated IN (0, 1) AND (adjudicated = 0 OR action IN ('accept', 'relabel', 'new-class')));
`,
    run: (db) => backfillLabelState(db),
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Recomputes clips.current_label / reviewed from the annotation history (used by v3 and by repair). */
export function backfillLabelState(db: Database.Database): void {
  const update = db.prepare('UPDATE clips SET current_label = ?, reviewed = ? WHERE id = ?');
  // Before v5 (v3's backfill, run on the way up) there is no adjudicated column: nothing was adjudicated.
  const flag = hasAdjudicatedColumn(db) ? 'adjudicated' : '0 AS adjudicated';
  const history = db.prepare(`SELECT action, label, annotator, ${flag} FROM annotations WHERE clip_id = ? ORDER BY id`);
  // .all(), not .iterate(): better-sqlite3 refuses other statements while an iterator is open.
  for (const c of db.prepare('SELECT id, import_label FROM clips').all() as { id: number; import_label: string | null }[]) {
    const s = deriveLabelState(c.import_label, history.all(c.id) as LabelEvent[]);
    update.run(s.currentLabel, s.reviewed ? 1 : 0, c.id);
  }
}

/** True once v5 has added annotations.adjudicated. */
export function hasAdjudicatedColumn(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM pragma_table_info('annotations') WHERE name = 'adjudicated'").get() !== undefined;
}

/** Copies the active version's decision and confidence onto every clip (NULL where it has none). */
export function syncActiveDecisions(db: Database.Database): void {
  const active = (db.prepare('SELECT model_version_id FROM active_model WHERE id = 1').pluck().get() as number | null) ?? null;
  db.prepare('UPDATE clips SET active_decision = NULL, active_confidence = NULL WHERE active_decision IS NOT NULL OR active_confidence IS NOT NULL').run();
  if (active === null) return;
  db.prepare(
    `UPDATE clips SET active_decision = p.decision_kind, active_confidence = p.confidence
     FROM predictions p WHERE p.clip_id = clips.id AND p.model_version_id = ?`,
  ).run(active);
}

/** Brings `db` from its user_version to `target` inside one transaction. */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from >= target) return { from, to: from };
  db.transaction(() => {
    for (let v = from; v < target; v++) {
      const step = MIGRATIONS[v];
      if (step.sql) db.exec(step.sql);
      step.run?.(db);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
  return { from, to: target };
}
