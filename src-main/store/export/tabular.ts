// CSV and JSON Lines: one row per clip, the same columns in both. `eodn import` reads them back (store/import/
// manifest.ts): a segment's offsets make it a segment of its recording again, and a reviewed clip's label comes
// back as an answer of `annotator` (whose standing answer gave the current label: rows.ts decidingAnswer) on top
// of its import label.
//
// Soft labels (issue 14): every vote and their distribution ride along in three columns, which the import
// ignores (it brings back the deciding answer; the Label Studio export carries every answer back):
//   votes              each annotator's vote (their standing answer naming a class; an adjudication is not a
//                      vote), as a JSON object annotator → class, annotators sorted by name: {"ada":"fear","ben":"disgust"}
//   vote_distribution  each voted class's share of the votes, as a JSON object class → share (a number in (0, 1],
//                      the shares summing to 1), classes sorted by name: {"disgust":0.5,"fear":0.5}
//   label_rule         the step of the label rule that gave `label` (store/current-label.ts): single (one
//                      annotator's latest answer), majority, adjudicated, unresolved (a tie: no label) or none
//                      (nobody answered: the import label)
// In CSV the two objects are JSON text in one cell (CSV-quoted), `{}` when nobody voted; in JSON Lines they are
// JSON objects. JSON keeps any annotator or class name unambiguous (commas, colons, quotes included).
import { csvLine } from '../import/csv';
import type { ProjectStore } from '../project-store';
import { writeFileAtomic } from './atomic';
import { decidingAnswer, exportRows, voteDistribution, type ExportRow } from './rows';

export const CSV_COLUMNS = [
  'id', 'path', 'name', 'hash', 'duration_sec', 'segment_start', 'segment_end', 'speaker', 'import_label',
  'label', 'reviewed', 'decision', 'predicted_label', 'confidence', 'model_version', 'annotator',
  'votes', 'vote_distribution', 'label_rule',
] as const;

/** The soft-label columns of a row (votes, vote_distribution, label_rule) as objects. */
export function softLabelValues(r: ExportRow): { votes: Record<string, string>; distribution: Record<string, number>; rule: ExportRow['labelRule'] } {
  return {
    votes: Object.fromEntries(r.votes.map((v) => [v.annotator, v.label])),
    distribution: Object.fromEntries(voteDistribution(r.votes)),
    rule: r.labelRule,
  };
}

/** The same, as CSV cells (the objects as JSON text). */
export function softLabelCells(r: ExportRow): [string, string, string] {
  const s = softLabelValues(r);
  return [JSON.stringify(s.votes), JSON.stringify(s.distribution), s.rule];
}

function values(r: ExportRow): (string | number | null)[] {
  return [
    r.id, r.path, r.name, r.hash, r.durationSec, r.segmentStartSec, r.segmentEndSec, r.speaker, r.importLabel,
    r.currentLabel, r.reviewed ? 1 : 0, r.decision, r.predictedLabel, r.confidence, r.modelVersionId,
    r.reviewed ? (decidingAnswer(r.currentLabel, r.answers)?.annotator ?? null) : null,
    ...softLabelCells(r),
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
      const soft = softLabelValues(r);
      const own: Partial<Record<(typeof CSV_COLUMNS)[number], unknown>> = { reviewed: r.reviewed, votes: soft.votes, vote_distribution: soft.distribution };
      yield JSON.stringify(Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, c in own ? own[c] : v[i]]))) + '\n';
    }
  })());
  return n;
}
