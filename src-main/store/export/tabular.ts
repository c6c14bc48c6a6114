// CSV and JSON Lines: one row per clip, the same columns in both. `eodn import` reads them back (store/import/
// manifest.ts): a segment's offsets make it a segment of its recording again, and a reviewed clip's label comes
// back as an answer of `annotator` (whose standing answer gave the current label: rows.ts decidingAnswer) on top
// of its import label.
import { csvLine } from '../import/csv';
import type { ProjectStore } from '../project-store';
import { writeFileAtomic } from './atomic';
import { decidingAnswer, exportRows, type ExportRow } from './rows';

export const CSV_COLUMNS = [
  'id', 'path', 'name', 'hash', 'duration_sec', 'segment_start', 'segment_end', 'speaker', 'import_label',
  'label', 'reviewed', 'decision', 'predicted_label', 'confidence', 'model_version', 'annotator',
] as const;

function values(r: ExportRow): (string | number | null)[] {
  return [
    r.id, r.path, r.name, r.hash, r.durationSec, r.segmentStartSec, r.segmentEndSec, r.speaker, r.importLabel,
    r.currentLabel, r.reviewed ? 1 : 0, r.decision, r.predictedLabel, r.confidence, r.modelVersionId,
    r.reviewed ? (decidingAnswer(r.currentLabel, r.answers)?.annotator ?? null) : null,
  ];
}

export function exportCsv(store: ProjectStore, target: string): number {
  let n = 0;
  writeFileAtomic(target, (function* () {
    yield csvLine([...CSV_COLUMNS]);
    for (const r of exportRows(store)) {
      n++;
      yield csvLine(values(r));
    }
  })());
  return n;
}

export function exportJsonl(store: ProjectStore, target: string): number {
  let n = 0;
  writeFileAtomic(target, (function* () {
    for (const r of exportRows(store)) {
      n++;
      const v = values(r);
      yield JSON.stringify(Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, c === 'reviewed' ? r.reviewed : v[i]]))) + '\n';
    }
  })());
  return n;
}
