// Embedding cache keyed by content (clip hash + segment), encoder and encoder settings: a moved or
// re-imported file keeps its embeddings, and changing the encoder or its settings misses the cache.
import type Database from 'better-sqlite3';
import type { Clip } from '../../shared/domain';
import { blobToFloats, floatsToBlob } from './models';

export interface EmbeddingKey {
  clipHash: string;
  /** '' for a whole file; see segmentKey(). */
  segment?: string;
  encoderId: string;
  settingsHash: string;
}

export function segmentKey(clip: Pick<Clip, 'segmentStartSec' | 'segmentEndSec'>): string {
  return clip.segmentStartSec == null || clip.segmentEndSec == null ? '' : `${clip.segmentStartSec.toFixed(3)}-${clip.segmentEndSec.toFixed(3)}`;
}

export class EmbeddingsTable {
  private readonly getStmt: Database.Statement;
  private readonly putStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT vector FROM embeddings WHERE clip_hash = ? AND segment = ? AND encoder_id = ? AND settings_hash = ?');
    this.putStmt = db.prepare(`
      INSERT INTO embeddings (clip_hash, segment, encoder_id, settings_hash, dim, vector, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET dim = excluded.dim, vector = excluded.vector, created_at = excluded.created_at`);
  }

  get(k: EmbeddingKey): Float32Array | null {
    const r = this.getStmt.get(k.clipHash, k.segment ?? '', k.encoderId, k.settingsHash) as { vector: Buffer } | undefined;
    return r ? blobToFloats(r.vector) : null;
  }

  /** Call inside a write transaction. */
  put(k: EmbeddingKey, vector: Float32Array): void {
    this.putStmt.run(k.clipHash, k.segment ?? '', k.encoderId, k.settingsHash, vector.length, floatsToBlob(vector), new Date().toISOString());
  }
}
