// The flat view of a project that every export format starts from: one row per clip, with its current label
// and the active model version's decision. One query, streamed.
import type { DecisionKind } from '../../../shared/domain';
import type { ProjectStore } from '../project-store';

export interface ExportRow {
  id: number;
  path: string;
  name: string;
  hash: string;
  durationSec: number;
  fileDurationSec: number | null;
  sampleRate: number;
  channels: number;
  segmentStartSec: number | null;
  segmentEndSec: number | null;
  speaker: string | null;
  importLabel: string | null;
  currentLabel: string | null;
  reviewed: boolean;
  decision: DecisionKind | null;
  /** The label the active model's decision gave (null for unknown or no prediction). */
  predictedLabel: string | null;
  confidence: number | null;
  modelVersionId: number | null;
}

export function* exportRows(store: ProjectStore): Generator<ExportRow> {
  const version = store.activeModelVersionId();
  // .all() rather than .iterate(): the caller may run other statements between rows.
  const rows = store.db
    .prepare(
      `SELECT c.id, c.path, c.name, c.hash, c.duration_sec, c.file_duration_sec, c.sample_rate, c.channels,
              c.segment_start, c.segment_end, c.speaker, c.import_label, c.current_label, c.reviewed,
              p.decision_kind, p.confidence, json_extract(p.decision, '$.label') AS predicted_label
       FROM clips c LEFT JOIN predictions p ON p.clip_id = c.id AND p.model_version_id = ?
       ORDER BY c.id`,
    )
    .all(version ?? -1) as Record<string, unknown>[];
  for (const r of rows) {
    yield {
      id: r.id as number,
      path: r.path as string,
      name: r.name as string,
      hash: r.hash as string,
      durationSec: r.duration_sec as number,
      fileDurationSec: r.file_duration_sec as number | null,
      sampleRate: r.sample_rate as number,
      channels: r.channels as number,
      segmentStartSec: r.segment_start as number | null,
      segmentEndSec: r.segment_end as number | null,
      speaker: r.speaker as string | null,
      importLabel: r.import_label as string | null,
      currentLabel: r.current_label as string | null,
      reviewed: r.reviewed === 1,
      decision: r.decision_kind as DecisionKind | null,
      predictedLabel: (r.predicted_label as string | null) ?? null,
      confidence: r.confidence as number | null,
      modelVersionId: r.decision_kind == null ? null : version,
    };
  }
}
