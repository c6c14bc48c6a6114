// Model versions (immutable once inserted: triggers forbid UPDATE/DELETE), the active-version pointer, and
// each version's predictions (upserted per version: re-running a version's predictions replaces them).
// A version saved in several short transactions (pipeline/save-version.ts) is marked incomplete in `meta`
// until its last prediction is written: it is hidden from the list and cannot be activated, so a save cut
// short by a crash leaves the previous version active and the partial one invisible.
import type Database from 'better-sqlite3';
import type { Decision, DecisionKind, Pad } from '../../shared/domain';
import { StoreError } from './errors';
import { syncActiveDecisions } from './migrations';

export interface NewModelVersion {
  parentId: number | null;
  name: string;
  /** Class names in the order of the head's outputs. */
  classes: string[];
  /** Everything needed to predict (pipeline/model-bundle.ts `ModelBundle`: encoder, standardizer, heads, …). */
  bundle: unknown;
  thresholds: unknown;
  settings: unknown;
  metrics: unknown;
}

export interface ModelVersion extends NewModelVersion {
  id: number;
  createdAt: string;
}

/** What a list of versions shows (no weights). */
export type ModelVersionSummary = Omit<ModelVersion, 'bundle'>;

export interface NearestWord {
  name: string;
  distance: number;
}

export interface NewPrediction {
  clipId: number;
  /** Softmax probabilities in the order of the version's class list. */
  probs: Float32Array | readonly number[];
  decision: Decision;
  pad: Pad | null;
  nearest: NearestWord[];
}

export interface Prediction extends Omit<NewPrediction, 'probs'> {
  modelVersionId: number;
  probs: Float32Array;
  createdAt: string;
}

interface VersionRaw {
  id: number;
  parent_id: number | null;
  created_at: string;
  name: string;
  classes: string;
  bundle?: string;
  thresholds: string;
  settings: string;
  metrics: string;
}

interface PredictionRaw {
  model_version_id: number;
  clip_id: number;
  probs: Buffer;
  decision_kind: DecisionKind;
  confidence: number;
  decision: string;
  pad_p: number | null;
  pad_a: number | null;
  pad_d: number | null;
  nearest: string;
  created_at: string;
}

/** Float32 vectors are stored as little-endian BLOBs (the byte order of every platform Electron ships on). */
export function floatsToBlob(v: Float32Array | readonly number[]): Buffer {
  const f = v instanceof Float32Array ? v : Float32Array.from(v);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength);
}

export function blobToFloats(b: Buffer): Float32Array {
  // Copy: the Buffer may not be 4-byte aligned.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

const toVersion = (r: VersionRaw): ModelVersion => ({
  id: r.id,
  parentId: r.parent_id,
  createdAt: r.created_at,
  name: r.name,
  classes: JSON.parse(r.classes),
  bundle: r.bundle === undefined ? undefined : JSON.parse(r.bundle),
  thresholds: JSON.parse(r.thresholds),
  settings: JSON.parse(r.settings),
  metrics: JSON.parse(r.metrics),
});

const toPrediction = (r: PredictionRaw): Prediction => ({
  modelVersionId: r.model_version_id,
  clipId: r.clip_id,
  probs: blobToFloats(r.probs),
  decision: JSON.parse(r.decision),
  pad: r.pad_p == null || r.pad_a == null || r.pad_d == null ? null : [r.pad_p, r.pad_a, r.pad_d],
  nearest: JSON.parse(r.nearest),
  createdAt: r.created_at,
});

const INCOMPLETE_PREFIX = 'incomplete_version:';
const incompleteKey = (id: number) => `${INCOMPLETE_PREFIX}${id}`;
/** meta key: the active pointer was flipped but the clips' copy of the decisions is not finished. */
const MIRROR_PENDING = 'active_mirror_pending';

export class ModelsTable {
  private readonly upsertStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsertStmt = db.prepare(`
      INSERT INTO predictions (model_version_id, clip_id, probs, decision_kind, confidence, decision, pad_p, pad_a, pad_d, nearest, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (model_version_id, clip_id) DO UPDATE SET probs = excluded.probs, decision_kind = excluded.decision_kind,
        confidence = excluded.confidence, decision = excluded.decision, pad_p = excluded.pad_p, pad_a = excluded.pad_a,
        pad_d = excluded.pad_d, nearest = excluded.nearest, created_at = excluded.created_at`);
  }

  insertVersion(v: NewModelVersion, opts: { incomplete?: boolean } = {}): ModelVersion {
    if (!v.name?.trim()) throw new StoreError('invalid', 'model version needs a name');
    if (!Array.isArray(v.classes) || v.classes.length === 0 || !v.classes.every((c) => typeof c === 'string')) {
      throw new StoreError('invalid', 'model version needs a non-empty list of class names');
    }
    const info = this.db
      .prepare(
        'INSERT INTO model_versions (parent_id, created_at, name, classes, bundle, thresholds, settings, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        v.parentId,
        new Date().toISOString(),
        v.name.trim(),
        JSON.stringify(v.classes),
        JSON.stringify(v.bundle ?? null),
        JSON.stringify(v.thresholds ?? null),
        JSON.stringify(v.settings ?? null),
        JSON.stringify(v.metrics ?? null),
      );
    const id = Number(info.lastInsertRowid);
    if (opts.incomplete) this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(incompleteKey(id), new Date().toISOString());
    return this.getVersion(id);
  }

  /** Ids of versions whose save has not finished (still running, or cut short). */
  incompleteVersionIds(): Set<number> {
    const keys = this.db.prepare("SELECT key FROM meta WHERE key LIKE 'incomplete_version:%'").pluck().all() as string[];
    return new Set(keys.map((k) => Number(k.slice(INCOMPLETE_PREFIX.length))));
  }

  isIncomplete(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM meta WHERE key = ?').get(incompleteKey(id)) !== undefined;
  }

  /** Marks a version's save as finished: it becomes listed and can be activated. */
  markComplete(id: number): void {
    this.getVersion(id);
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(incompleteKey(id));
  }

  getVersion(id: number): ModelVersion {
    const r = this.db.prepare('SELECT * FROM model_versions WHERE id = ?').get(id) as VersionRaw | undefined;
    if (!r) throw new StoreError('not-found', `no model version ${id}`);
    return toVersion(r);
  }

  listVersions(): ModelVersionSummary[] {
    const rows = this.db
      .prepare('SELECT id, parent_id, created_at, name, classes, thresholds, settings, metrics FROM model_versions ORDER BY id')
      .all() as VersionRaw[];
    const incomplete = this.incompleteVersionIds();
    return rows.filter((r) => !incomplete.has(r.id)).map((r) => {
      const { bundle: _bundle, ...rest } = toVersion(r);
      return rest;
    });
  }

  activeVersionId(): number | null {
    return (this.db.prepare('SELECT model_version_id AS id FROM active_model WHERE id = 1').get() as { id: number | null }).id;
  }

  private checkActivatable(id: number | null): void {
    if (id === null) return;
    this.getVersion(id);
    if (this.isIncomplete(id)) throw new StoreError('invalid', `model version ${id} is incomplete (its save did not finish)`);
  }

  /** Flips the pointer and copies the decisions onto every clip in this one transaction. */
  setActive(id: number | null): void {
    this.checkActivatable(id);
    this.db.prepare('UPDATE active_model SET model_version_id = ? WHERE id = 1').run(id);
    syncActiveDecisions(this.db);
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(MIRROR_PENDING);
  }

  /**
   * First step of a stepwise activation: flips the pointer and records that the clips' copy of the decisions
   * still has to follow (mirrorStep). If the process dies before the copy is done, the next read-write open
   * redoes it (repairPendingMirror).
   */
  beginActivate(id: number): void {
    this.checkActivatable(id);
    this.db.prepare('UPDATE active_model SET model_version_id = ? WHERE id = 1').run(id);
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(MIRROR_PENDING, String(id));
  }

  /**
   * Copies version `id`'s decisions onto the next `limit` clips after clip id `afterId` (NULL where it has no
   * prediction). Returns the last clip id done, or null when finished — or when another writer has
   * activated something else meanwhile (its own setActive then did the full copy).
   */
  mirrorStep(id: number, afterId: number, limit: number): number | null {
    if (this.activeVersionId() !== id) return null;
    const ids = this.db.prepare('SELECT id FROM clips WHERE id > ? ORDER BY id LIMIT ?').pluck().all(afterId, limit) as number[];
    if (ids.length) {
      const last = ids[ids.length - 1];
      this.db
        .prepare(
          `UPDATE clips SET
             active_decision = (SELECT decision_kind FROM predictions WHERE model_version_id = @v AND clip_id = clips.id),
             active_confidence = (SELECT confidence FROM predictions WHERE model_version_id = @v AND clip_id = clips.id)
           WHERE id > @after AND id <= @last`,
        )
        .run({ v: id, after: afterId, last });
      if (ids.length === limit) return last;
    }
    this.db.prepare('DELETE FROM meta WHERE key = ? AND value = ?').run(MIRROR_PENDING, String(id));
    return null;
  }

  hasPendingMirror(): boolean {
    return this.db.prepare('SELECT 1 FROM meta WHERE key = ?').get(MIRROR_PENDING) !== undefined;
  }

  /** Finishes a stepwise activation that a crash cut short (one transaction; only after a crash). */
  repairPendingMirror(): boolean {
    if (!this.hasPendingMirror()) return false;
    syncActiveDecisions(this.db);
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(MIRROR_PENDING);
    return true;
  }

  /** Inserts or replaces predictions of one version (call inside a write transaction). */
  upsertPredictions(versionId: number, preds: readonly NewPrediction[]): number {
    const nClasses = this.getVersion(versionId).classes.length;
    const isActive = this.activeVersionId() === versionId;
    const mirror = this.db.prepare('UPDATE clips SET active_decision = ?, active_confidence = ? WHERE id = ?');
    const now = new Date().toISOString();
    for (const p of preds) {
      if (p.probs.length !== nClasses) {
        throw new StoreError('invalid', `clip ${p.clipId}: ${p.probs.length} probabilities for a ${nClasses}-class model`);
      }
      this.upsertStmt.run(
        versionId,
        p.clipId,
        floatsToBlob(p.probs),
        p.decision.kind,
        p.decision.p1,
        JSON.stringify(p.decision),
        p.pad?.[0] ?? null,
        p.pad?.[1] ?? null,
        p.pad?.[2] ?? null,
        JSON.stringify(p.nearest ?? []),
        now,
      );
      if (isActive) mirror.run(p.decision.kind, p.decision.p1, p.clipId);
    }
    return preds.length;
  }

  listPredictions(versionId: number, clipIds?: readonly number[]): Prediction[] {
    if (clipIds) {
      const stmt = this.db.prepare('SELECT * FROM predictions WHERE model_version_id = ? AND clip_id = ?');
      return clipIds.flatMap((id) => {
        const r = stmt.get(versionId, id) as PredictionRaw | undefined;
        return r ? [toPrediction(r)] : [];
      });
    }
    return (this.db.prepare('SELECT * FROM predictions WHERE model_version_id = ? ORDER BY clip_id').all(versionId) as PredictionRaw[]).map(
      toPrediction,
    );
  }
}
