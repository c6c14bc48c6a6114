// The clips table: inserting (deduplicated by content hash + segment), reading, and the library listing.
import type Database from 'better-sqlite3';
import { basename } from 'node:path';
import type { Clip, ClipRow, DecisionKind, Pad } from '../../shared/domain';
import { disagreementClipIds } from './adjudication';
import { clipIdsAnsweredBy } from './answered-by';
import { StoreError } from './errors';

export interface NewClip {
  path: string;
  hash: string;
  sizeBytes: number;
  durationSec: number;
  /** Length of the whole file when the clip is a segment of it. */
  fileDurationSec?: number | null;
  sampleRate: number;
  channels: number;
  segmentStartSec?: number | null;
  segmentEndSec?: number | null;
  speaker?: string | null;
  importLabel?: string | null;
  importPad?: Pad | null;
}

export interface ClipFilter {
  /** Current label; null selects clips without one. */
  label?: string | null;
  /** Decision of the active model version; 'none' selects clips it has not predicted. */
  decision?: DecisionKind | 'none';
  reviewed?: boolean;
  speaker?: string;
  minConfidence?: number;
  maxConfidence?: number;
  /** Substring of the clip's name or path (case-insensitive for ASCII). */
  search?: string;
  /** Clips on which this annotator has a standing answer (answered-by.ts). */
  annotator?: string;
  /** Clips whose annotators' standing answers differ (adjudication.ts), adjudicated or not. */
  disagreement?: boolean;
  /** Only these clips (Discover's groups name clips of any decision). */
  ids?: readonly number[];
}

export type ClipSortKey = 'name' | 'duration' | 'confidence' | 'label' | 'speaker';

export interface ClipListQuery {
  offset: number;
  limit: number;
  filter?: ClipFilter;
  sort?: { by: ClipSortKey; dir: 'asc' | 'desc' };
}

export interface ClipRowRaw {
  id: number;
  path: string;
  name: string;
  hash: string;
  size_bytes: number;
  duration_sec: number;
  file_duration_sec: number | null;
  sample_rate: number;
  channels: number;
  segment_start: number | null;
  segment_end: number | null;
  speaker: string | null;
  import_label: string | null;
  import_p: number | null;
  import_a: number | null;
  import_d: number | null;
  missing: number;
  current_label: string | null;
  reviewed: number;
}

/** A segment's name carries its times as [h:]mm:ss.ss, zero-padded so that sorting by name keeps a
 * recording's utterances in time order (hours only in files of an hour or more). */
export function clipName(path: string, start?: number | null, end?: number | null, fileDurationSec?: number | null): string {
  const base = basename(path);
  if (start == null || end == null) return base;
  const hours = (fileDurationSec ?? end) >= 3600;
  const t = (sec: number) => {
    const cs = Math.round(sec * 100);
    const h = Math.floor(cs / 360000);
    const m = Math.floor((cs % 360000) / 6000);
    const s = ((cs % 6000) / 100).toFixed(2).padStart(5, '0');
    return `${hours ? `${h}:` : ''}${String(m).padStart(2, '0')}:${s}`;
  };
  return `${base}#${t(start)}-${t(end)}`;
}

export function toClip(r: ClipRowRaw): Clip {
  return {
    id: r.id,
    path: r.path,
    hash: r.hash,
    durationSec: r.duration_sec,
    sampleRate: r.sample_rate,
    channels: r.channels,
    segmentStartSec: r.segment_start,
    segmentEndSec: r.segment_end,
    speaker: r.speaker,
    importLabel: r.import_label,
    importPad: r.import_p == null || r.import_a == null || r.import_d == null ? null : [r.import_p, r.import_a, r.import_d],
    missing: r.missing === 1,
  };
}

const SORT_COLUMNS: Record<ClipSortKey, string> = {
  name: 'c.name',
  duration: 'c.duration_sec',
  confidence: 'c.active_confidence',
  label: 'c.current_label',
  speaker: 'c.speaker',
};

export class ClipsTable {
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    // ON CONFLICT DO NOTHING (not OR IGNORE): only the identity index may skip a row; other violations throw.
    this.insertStmt = db.prepare(`
      INSERT INTO clips (path, name, hash, size_bytes, duration_sec, file_duration_sec, sample_rate, channels,
        segment_start, segment_end, speaker, import_label, import_p, import_a, import_d, missing, added_at,
        current_label, reviewed)
      VALUES (@path, @name, @hash, @size, @duration, @fileDuration, @rate, @channels, @start, @end, @speaker,
        @label, @p, @a, @d, 0, @now, @label, 0)
      ON CONFLICT DO NOTHING`);
    this.getStmt = db.prepare('SELECT * FROM clips WHERE id = ?');
  }

  /** Inserts clips (call inside a transaction); returns the new id of each, or null for a duplicate. */
  insert(clips: readonly NewClip[]): (number | null)[] {
    const now = new Date().toISOString();
    return clips.map((c) => {
      const start = c.segmentStartSec ?? null;
      const end = c.segmentEndSec ?? null;
      if ((start === null) !== (end === null)) throw new StoreError('invalid', `${c.path}: segment needs both start and end`);
      const info = this.insertStmt.run({
        path: c.path,
        name: clipName(c.path, start, end, c.fileDurationSec),
        hash: c.hash,
        size: c.sizeBytes,
        duration: c.durationSec,
        fileDuration: c.fileDurationSec ?? null,
        rate: c.sampleRate,
        channels: c.channels,
        start,
        end,
        speaker: c.speaker ?? null,
        label: c.importLabel ?? null,
        p: c.importPad?.[0] ?? null,
        a: c.importPad?.[1] ?? null,
        d: c.importPad?.[2] ?? null,
        now,
      });
      return info.changes === 1 ? Number(info.lastInsertRowid) : null;
    });
  }

  getRaw(id: number): ClipRowRaw {
    const r = this.getStmt.get(id) as ClipRowRaw | undefined;
    if (!r) throw new StoreError('not-found', `no clip with id ${id}`);
    return r;
  }

  get(id: number): Clip {
    return toClip(this.getRaw(id));
  }

  findByHash(hash: string): Clip[] {
    return (this.db.prepare('SELECT * FROM clips WHERE hash = ? ORDER BY id').all(hash) as ClipRowRaw[]).map(toClip);
  }

  /** One page of the library. One query for the page, one for the total, both on the clips table alone
   * (the active decision is kept on the clip row, see migration v3). */
  /** How many clips currently carry each label (one indexed GROUP BY, whatever the project's size). */
  countByCurrentLabel(): Map<string, number> {
    const rows = this.db.prepare('SELECT current_label AS label, COUNT(*) AS n FROM clips WHERE current_label IS NOT NULL GROUP BY current_label').all() as {
      label: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.label, r.n]));
  }

  list(q: ClipListQuery): { rows: ClipRow[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const f = q.filter ?? {};
    if (f.label !== undefined) {
      if (f.label === null) where.push('c.current_label IS NULL');
      else {
        where.push('c.current_label = @label');
        params.label = f.label;
      }
    }
    if (f.reviewed !== undefined) where.push(`c.reviewed = ${f.reviewed ? 1 : 0}`);
    if (f.speaker !== undefined) {
      where.push('c.speaker = @speaker');
      params.speaker = f.speaker;
    }
    if (f.decision !== undefined) {
      if (f.decision === 'none') where.push('c.active_decision IS NULL');
      else {
        where.push('c.active_decision = @decision');
        params.decision = f.decision;
      }
    }
    if (f.minConfidence !== undefined) {
      where.push('c.active_confidence >= @minConf');
      params.minConf = f.minConfidence;
    }
    if (f.maxConfidence !== undefined) {
      where.push('c.active_confidence <= @maxConf');
      params.maxConf = f.maxConfidence;
    }
    if (f.search) {
      where.push("(c.name LIKE @search ESCAPE '\\' OR c.path LIKE @search ESCAPE '\\')");
      params.search = `%${f.search.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
    }
    if (f.annotator !== undefined) {
      where.push('c.id IN (SELECT value FROM json_each(@answered))');
      params.answered = JSON.stringify(clipIdsAnsweredBy(this.db, f.annotator));
    }
    if (f.disagreement !== undefined) {
      where.push(`c.id ${f.disagreement ? '' : 'NOT '}IN (SELECT value FROM json_each(@disagree))`);
      params.disagree = JSON.stringify(disagreementClipIds(this.db));
    }
    if (f.ids !== undefined) {
      where.push('c.id IN (SELECT value FROM json_each(@ids))');
      params.ids = JSON.stringify(f.ids);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sort = q.sort ?? { by: 'name', dir: 'asc' };
    const col = SORT_COLUMNS[sort.by];
    if (!col) throw new StoreError('invalid', `unknown sort key ${String(sort.by)}`);
    const dir = sort.dir === 'desc' ? 'DESC' : 'ASC';
    const limit = Math.max(0, Math.min(Math.floor(q.limit), 10_000));
    const offset = Math.max(0, Math.floor(q.offset));
    const rows = this.db
      .prepare(
        `SELECT c.id, c.name, c.duration_sec, c.speaker, c.import_label, c.current_label, c.reviewed, c.missing,
                c.active_decision AS decision_kind, c.active_confidence AS confidence
         FROM clips c ${whereSql}
         ORDER BY ${col} ${dir} NULLS LAST, c.id ${dir}
         LIMIT ${limit} OFFSET ${offset}`,
      )
      .all(params) as {
      id: number;
      name: string;
      duration_sec: number;
      speaker: string | null;
      import_label: string | null;
      current_label: string | null;
      reviewed: number;
      missing: number;
      decision_kind: DecisionKind | null;
      confidence: number | null;
    }[];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM clips c ${whereSql}`).get(params) as { n: number }).n;
    return {
      total,
      rows: rows.map((r) => ({
        id: r.id,
        name: r.name,
        durationSec: r.duration_sec,
        speaker: r.speaker,
        importLabel: r.import_label,
        currentLabel: r.current_label,
        reviewed: r.reviewed === 1,
        decision: r.decision_kind,
        confidence: r.confidence,
        missing: r.missing === 1,
      })),
    };
  }
}
