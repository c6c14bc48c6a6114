import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECISION_KINDS } from '../../../shared/domain';
import { checkProject } from '../../../src-main/store/check';
import { StoreError } from '../../../src-main/store/errors';
import { APPLICATION_ID, backfillLabelState, migrate, MIGRATIONS, SCHEMA_VERSION, syncActiveDecisions } from '../../../src-main/store/migrations';
import { ProjectStore } from '../../../src-main/store/project-store';
import { tempDir } from './helpers';

const dir = tempDir();
let n = 0;
const fresh = (ext = '.eodn') => join(dir, `p${n++}${ext}`);

function expectStoreError(fn: () => unknown, code: string): StoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).code).toBe(code);
    return e as StoreError;
  }
  throw new Error('expected a StoreError');
}

const OLD_BUNDLE = JSON.stringify({ format: 'eodn-model/1', head: { w: [1, 2] }, detectorHead: { w: [3, 4] } });

/** Builds a file at an old version the way an old studio would have, with data in every table it had. */
function buildAtVersion(file: string, version: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, version);
  const now = '2026-01-01T00:00:00.000Z';
  db.prepare("INSERT INTO meta VALUES ('name', 'old'), ('created_at', ?)").run(now);
  const ins = db.prepare(
    'INSERT INTO clips (path, name, hash, size_bytes, duration_sec, sample_rate, channels, speaker, import_label, added_at) VALUES (?, ?, ?, 10, 2, 16000, 1, ?, ?, ?)',
  );
  ins.run('/a/x.wav', 'x.wav', 'h1', 's1', 'anger', now);
  ins.run('/a/y.wav', 'y.wav', 'h2', 's2', 'fear', now);
  db.prepare("INSERT INTO classes VALUES ('anger', NULL, NULL, NULL, 'import', ?), ('fear', NULL, NULL, NULL, 'import', ?), ('joy', 1, 1, 1, 'manual', ?)").run(now, now, now);
  // v4 renamed model_versions.head to bundle.
  const bundleColumn = version >= 4 ? 'bundle' : 'head';
  db.prepare(
    `INSERT INTO model_versions (parent_id, created_at, name, classes, ${bundleColumn}, thresholds, settings, metrics) VALUES (NULL, ?, 'm1', '["anger","fear"]', ?, '{"epsilon":0.7}', '{}', '{}')`,
  ).run(now, OLD_BUNDLE);
  const ann = db.prepare('INSERT INTO annotations (clip_id, annotator, action, label, model_version_id, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  ann.run(1, 'ann', 'relabel', 'joy', 1, now);
  ann.run(2, 'ann', 'relabel', 'joy', null, now);
  ann.run(2, 'ann', 'undo', null, null, now);
  const probs = Buffer.from(new Float32Array([0.9, 0.1]).buffer);
  db.prepare("INSERT INTO predictions (model_version_id, clip_id, probs, decision_kind, confidence, decision, created_at) VALUES (1, 2, ?, 'accepted', 0.9, '{\"label\":\"anger\"}', ?)").run(probs, now);
  db.prepare('UPDATE active_model SET model_version_id = 1').run();
  if (version >= 2) db.prepare("INSERT INTO jobs (id, kind, state, created_at, updated_at) VALUES ('j1', 'embed', 'running', ?, ?)").run(now, now);
  // From v3 on a studio keeps the clips' derived columns up to date as it writes.
  if (version >= 3) {
    backfillLabelState(db);
    syncActiveDecisions(db);
  }
  db.close();
}

describe('schema and migrations', () => {
  it('creates a project at the current version with WAL, foreign keys and our application id', () => {
    const file = fresh();
    const s = ProjectStore.create(file, { name: 'New' });
    expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(s.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.info()).toMatchObject({ name: 'New', clipCount: 0, classes: [], speakers: [] });
    s.close();
    expect(checkProject(file).ok).toBe(true);
    expectStoreError(() => ProjectStore.create(file, { name: 'again' }), 'exists');
  });

  for (let v = 1; v < SCHEMA_VERSION; v++) {
    it(`upgrades a version-${v} project to ${SCHEMA_VERSION} keeping its data`, () => {
      const file = fresh();
      buildAtVersion(file, v);
      const s = ProjectStore.open(file);
      expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(s.info()).toMatchObject({ name: 'old', clipCount: 2, speakers: ['s1', 's2'] });
      expect(s.classes().map((c) => c.name)).toEqual(['anger', 'fear', 'joy']);
      // Derived state was backfilled from the history: clip 1 relabelled, clip 2's relabel undone.
      const rows = s.listClipRows({ offset: 0, limit: 10, sort: { by: 'name', dir: 'asc' } }).rows;
      expect(rows.map((r) => [r.name, r.currentLabel, r.reviewed, r.decision, r.confidence])).toEqual([
        ['x.wav', 'joy', true, null, null],
        ['y.wav', 'fear', false, 'accepted', expect.closeTo(0.9, 5)],
      ]);
      expect(s.clipHistory(2).map((a) => a.action)).toEqual(['relabel', 'undo']);
      expect(s.getModelVersion(1)).toMatchObject({ classes: ['anger', 'fear'], bundle: JSON.parse(OLD_BUNDLE), thresholds: { epsilon: 0.7 } });
      expect(s.listUnfinishedJobs().map((j) => j.id)).toEqual(v >= 2 ? ['j1'] : []);
      s.close();
      expect(checkProject(file)).toMatchObject({ ok: true, problems: [] });
    });
  }

  it('v4 renames model_versions.head to bundle: a version-3 file keeps its models, still append-only', () => {
    const file = fresh();
    buildAtVersion(file, 3);
    const s = ProjectStore.open(file);
    const columns = (s.db.prepare('PRAGMA table_info(model_versions)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['id', 'parent_id', 'created_at', 'name', 'classes', 'bundle', 'thresholds', 'settings', 'metrics']);
    expect(s.getModelVersion(1).bundle).toEqual(JSON.parse(OLD_BUNDLE));
    expect(s.listModelVersions().map((v) => [v.id, 'bundle' in v])).toEqual([[1, false]]);
    const v2 = s.insertModelVersion({ parentId: 1, name: 'm2', classes: ['anger'], bundle: { w: [5] }, thresholds: {}, settings: {}, metrics: {} });
    expect(s.getModelVersion(v2.id).bundle).toEqual({ w: [5] });
    // The append-only triggers survived the rename and still refuse.
    expect(() => s.db.prepare("UPDATE model_versions SET bundle = '{}' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => s.db.prepare('DELETE FROM model_versions WHERE id = 1').run()).toThrow(/append-only/);
    expect(s.activeModelVersionId()).toBe(1);
    s.close();
    expect(checkProject(file)).toMatchObject({ ok: true, problems: [] });
  });

  it("the predictions table's CHECK lists exactly DECISION_KINDS (the released v1 list cannot drift)", () => {
    const file = fresh();
    ProjectStore.create(file, { name: 'kinds' }).close();
    const db = new Database(file, { readonly: true });
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'predictions'").pluck().get() as string;
    db.close();
    const list = /decision_kind IN \(([^)]*)\)/.exec(sql)?.[1];
    expect(list?.split(',').map((k) => k.trim().replace(/^'|'$/g, ''))).toEqual([...DECISION_KINDS]);
  });

  it('rolls a failing migration back entirely', () => {
    const file = fresh();
    buildAtVersion(file, 1);
    const db = new Database(file);
    const broken = [...MIGRATIONS.slice(0, 1), { description: 'bad', sql: 'CREATE TABLE jobs (x); CREATE TABLE jobs (y);' }];
    expect(() =>
      db.transaction(() => {
        for (let v = 1; v < broken.length; v++) {
          db.exec(broken[v].sql!);
          db.pragma(`user_version = ${v + 1}`);
        }
      }).immediate(),
    ).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'jobs'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a file that is not SQLite, and leaves it unchanged', () => {
    for (const content of ['just some text that is not a database\n'.repeat(10), '']) {
      const file = fresh();
      writeFileSync(file, content);
      expectStoreError(() => ProjectStore.open(file), 'not-sqlite');
      expect(readFileSync(file, 'utf8')).toBe(content);
      expect(existsSync(file + '-wal')).toBe(false);
      expect(existsSync(file + '-shm')).toBe(false);
    }
  });

  it('refuses a project from a newer studio, and leaves it unchanged', () => {
    const file = fresh();
    ProjectStore.create(file, { name: 'future' }).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = readFileSync(file);
    const err = expectStoreError(() => ProjectStore.open(file), 'newer-version');
    expect(err.message).toMatch(/newer/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(file + '-wal')).toBe(false);
  });

  it('refuses an SQLite file that is not a project', () => {
    const file = fresh('.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const before = readFileSync(file);
    expectStoreError(() => ProjectStore.open(file), 'not-a-project');
    expect(readFileSync(file).equals(before)).toBe(true);
    expectStoreError(() => ProjectStore.open(join(dir, 'nope.eodn')), 'not-found');
  });

  it('opens read-only without migrating or writing', () => {
    const file = fresh();
    buildAtVersion(file, 1);
    expectStoreError(() => ProjectStore.open(file, { readonly: true }), 'needs-migration');
    ProjectStore.open(file).close();
    const ro = ProjectStore.open(file, { readonly: true });
    expect(ro.info().clipCount).toBe(2);
    expect(() => ro.addClass({ name: 'x' })).toThrow();
    ro.close();
  });

  it('keeps a backup copy that opens as a project', async () => {
    const { backupProject } = await import('../../../src-main/store/backup');
    const file = fresh();
    buildAtVersion(file, SCHEMA_VERSION - 1);
    const s = ProjectStore.open(file);
    const copy = join(dir, 'backup.eodn');
    await backupProject(s, copy);
    s.close();
    copyFileSync(copy, copy + '.2');
    const b = ProjectStore.open(copy + '.2');
    expect(b.info().clipCount).toBe(2);
    b.close();
    expect(checkProject(copy).ok).toBe(true);
  });
});
