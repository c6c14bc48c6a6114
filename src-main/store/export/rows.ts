// The flat view of a project that every export format starts from: one row per clip, with its current label
// and the active model version's decision. One query, streamed. Beside it, each annotator's answer still
// standing on each clip (the append-only history replayed as the studio does), its votes and the step of the
// label rule that gave its label (current-label.ts).
import type { AnnotationAction, DecisionKind } from '../../../shared/domain';
import { deriveLabelState, resolveLabel, type LabelRule } from '../current-label';
import type { ProjectStore } from '../project-store';

interface HistoryRow {
  clip_id: number;
  annotator: string;
  action: AnnotationAction;
  label: string | null;
  created_at: string;
  adjudicated?: number | boolean;
}

/** One annotator's answer still standing on a clip, with the label it leaves the clip with (alone). */
export interface AnnotatorAnswer {
  annotator: string;
  label: string | null;
  createdAt: string;
  /** An adjudicator's decision (current-label.ts: it decides the clip's label over the votes). */
  adjudicated?: true;
}

/** Each annotator's answer still standing (undo pops the latest standing entry, whoever gave it), in the order
 * of the standing stack, with the label it alone leaves the clip with (a reject: the import label unless
 * rejected). An annotator's adjudication stands apart from their own vote. Replayed in this order, the answers
 * give the clip the label it has (current-label.ts). */
export function currentLabelsByAnnotator(importLabel: string | null, history: readonly Omit<HistoryRow, 'clip_id'>[]): AnnotatorAnswer[] {
  const standing: Omit<HistoryRow, 'clip_id'>[] = [];
  for (const h of history) {
    if (h.action === 'undo') standing.pop();
    else standing.push(h);
  }
  const adjudicated = (h: Omit<HistoryRow, 'clip_id'>) => h.adjudicated === true || h.adjudicated === 1;
  const latest = new Map<string, number>();
  standing.forEach((h, i) => latest.set(`${adjudicated(h) ? 'adjudication' : 'vote'}\u0000${h.annotator}`, i));
  return [...latest.values()]
    .sort((a, b) => a - b)
    .map((i) => ({
      annotator: standing[i].annotator,
      label: deriveLabelState(importLabel, [{ action: standing[i].action, label: standing[i].label }]).currentLabel,
      createdAt: standing[i].created_at,
      ...(adjudicated(standing[i]) ? { adjudicated: true as const } : {}),
    }));
}

/** The answer that gave a reviewed clip its label: the adjudication, else the latest answer with that label,
 * else the latest answer (null for a clip nobody answered). One answer of it, replayed alone, leaves the clip
 * with the same label: the CSV and audiofolder exports name its annotator. */
export function decidingAnswer(currentLabel: string | null, answers: readonly AnnotatorAnswer[]): AnnotatorAnswer | null {
  const adj = answers.filter((a) => a.adjudicated).at(-1);
  if (adj) return adj;
  return answers.filter((a) => a.label === currentLabel).at(-1) ?? answers.at(-1) ?? null;
}

/** One annotator's vote: their standing answer naming a class (an adjudication is not a vote). */
export interface Vote {
  annotator: string;
  label: string;
}

/** What the history of an answered clip says beyond its label: each answer, the votes, the rule that decided. */
export interface ClipAnswers {
  answers: AnnotatorAnswer[];
  /** Each annotator's vote, annotators sorted by name (current-label.ts resolveLabel). */
  votes: Vote[];
  rule: LabelRule;
}

/** Each class's share of a clip's votes, classes sorted by name (empty: nobody voted). */
export function voteDistribution(votes: readonly Vote[]): [label: string, share: number][] {
  const counts = new Map<string, number>();
  for (const v of votes) counts.set(v.label, (counts.get(v.label) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, n]) => [label, n / votes.length]);
}

/** Every answered clip's standing answers, votes and label rule by clip id (clips nobody answered are absent). One query. */
export function clipAnswers(store: ProjectStore): Map<number, ClipAnswers> {
  const histories = new Map<number, HistoryRow[]>();
  for (const h of store.db.prepare('SELECT clip_id, annotator, action, label, created_at, adjudicated FROM annotations ORDER BY clip_id, id').all() as HistoryRow[]) {
    let list = histories.get(h.clip_id);
    if (!list) histories.set(h.clip_id, (list = []));
    list.push(h);
  }
  const importLabels = new Map((store.db.prepare('SELECT id, import_label FROM clips').all() as { id: number; import_label: string | null }[]).map((r) => [r.id, r.import_label]));
  const out = new Map<number, ClipAnswers>();
  for (const [id, h] of histories) {
    const importLabel = importLabels.get(id) ?? null;
    const answers = currentLabelsByAnnotator(importLabel, h);
    const { votes, rule } = resolveLabel(importLabel, h);
    out.set(id, { answers, votes, rule });
  }
  return out;
}

/** Every clip's standing answers by clip id (clips nobody answered are absent). One query. */
export function answersByClip(store: ProjectStore): Map<number, AnnotatorAnswer[]> {
  const out = new Map<number, AnnotatorAnswer[]>();
  for (const [id, a] of clipAnswers(store)) if (a.answers.length) out.set(id, a.answers);
  return out;
}

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
  /** Each annotator's standing answer, oldest first; the last one gave the current label (empty: not reviewed). */
  answers: AnnotatorAnswer[];
  /** Each annotator's vote (standing answer naming a class), annotators sorted by name; empty: nobody voted. */
  votes: Vote[];
  /** The step of the label rule (current-label.ts) that gave `currentLabel`; 'none': nobody answered. */
  labelRule: LabelRule;
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
  const answered = clipAnswers(store);
  for (const r of rows) {
    const a = answered.get(r.id as number);
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
      answers: a?.answers ?? [],
      votes: a?.votes ?? [],
      labelRule: a?.rule ?? 'none',
    };
  }
}
