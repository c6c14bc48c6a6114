// Model versions (immutable once inserted: triggers forbid UPDATE/DELETE), the active-version pointer, and
// each version's predictions (upserted per version: re-running a version's predictions replaces them).
import type Database from 'better-sqlite3';
import type { Decision, DecisionKind, Pad } from '../../shared/domain';
import { StoreError } from './errors';
import { syncActiveDecisions } from './migrations';

export interface NewModelVersion {
  parentId: number | null;
  name: string;
  /** Class names in the order of the head's outputs. */
  classes: string[];
  head: unknown;
  thresholds: unknown;
  settings: unknown;
  metrics: unknown;
}

export interface ModelVersion extends NewModelVersion {
  id: number;
  createdAt: string;
}

/** What a list of versions shows (no weights). */
export type ModelVersionSummary = Omit<ModelVersion, 'head'>;

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
  head?: string;
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
  head: r.head === undefined ? undefined : JSON.parse(r.head),
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

  insertVersion(v: NewModelVersion): ModelVersion {
    if (!v.name?.trim()) throw new StoreError('invalid', 'model version needs a name');
    if (!Array.isArray(v.classes) || v.classes.length === 0 || !v.classes.every((c) => typeof c === 'string')) {
      throw new StoreError('invalid', 'model version needs a non-empty list of class names');
    }
    const info = this.db
      .prepare(
        'INSERT INTO model_versions (parent_id, created_at, name, classes, head, thresholds, settings, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        v.parentId,
        new Date().toISOString(),
        v.name.trim(),
        JSON.stringify(v.classes),
        JSON.stringify(v.head ?? null),
        JSON.stringify(v.thresholds ?? null),
        JSON.stringify(v.settings ?? null),
        JSON.stringify(v.metrics ?? null),
      );
    return this.getVersion(Number(info.lastInsertRowid));
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
    return rows.map((r) => {
      const { head: _head, ...rest } = toVersion(r);
      return rest;
    });
  }

  activeVersionId(): number | null {
    return (this.db.prepare('SELECT model_version_id AS id FROM active_model WHERE id = 1').get() as { id: number | null }).id;
  }

  setActive(id: number | null): void {
    if (id !== null) this.getVersion(id);
    this.db.prepare('UPDATE active_model SET model_version_id = ? WHERE id = 1').run(id);
    syncActiveDecisions(this.db);
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
