// Batch accept: the active model's label on every unreviewed clip it accepted with at least a given top-1
// probability, and optionally, in the same step, every one it accepted on its margin (ambiguous-accepted) with
// at least another: one decision for both, as the loop simulator books it (docs/simulate). Clips are listed
// least confident first, the likeliest to be wrong. A dry run only counts (and lists the first `sampleSize`) so
// the annotator sees, hears and corrects what will be accepted; a real run records every answer in one
// transaction (all or nothing).
import type { BatchAcceptResult } from '../../shared/api';
import type { ClipRow } from '../../shared/domain';
import type { ProjectStore } from '../store/project-store';

export interface BatchAcceptRequest {
  minConfidence: number;
  decision?: 'accepted' | 'ambiguous-accepted';
  /** With decision 'accepted': also the ambiguous-accepted clips at or above this top-1 probability. */
  ambiguousMinConfidence?: number;
  dryRun: boolean;
  annotator?: string;
  /** How many clips `sample` lists (default 12). */
  sampleSize?: number;
}

const SAMPLE = 12;
const PAGE = 10_000;

/** The api's result, and the accepted clips in the order the batch lists them (least confident first). */
export interface BatchAcceptOutcome extends BatchAcceptResult {
  clipIds: number[];
}

export function batchAccept(store: ProjectStore, req: BatchAcceptRequest): BatchAcceptOutcome {
  const versionId = store.activeModelVersionId();
  if (versionId === null) return { dryRun: req.dryRun, versionId: null, count: 0, sample: [], clipIds: [] };
  // The clip rows mirror the active version's decision and confidence, so SQL does the filtering.
  const decision = req.decision ?? 'accepted';
  const rows = unreviewedRows(store, decision, req.minConfidence);
  if (req.ambiguousMinConfidence !== undefined) {
    if (decision !== 'accepted') throw new Error('batch accept: ambiguousMinConfidence goes with decision "accepted"');
    rows.push(...unreviewedRows(store, 'ambiguous-accepted', req.ambiguousMinConfidence));
    rows.sort((a, b) => (a.confidence ?? 0) - (b.confidence ?? 0) || a.id - b.id);
  }
  const name = new Map(rows.map((r) => [r.id, r.name]));
  const rank = new Map(rows.map((r, i) => [r.id, i]));
  // The label comes from the stored prediction, the same one the review panel shows. Accepted kinds always
  // carry one, so a dry run reads only the sample's predictions (the count is the rows').
  const n = req.sampleSize ?? SAMPLE;
  const wanted = req.dryRun ? rows.slice(0, n) : rows;
  const items = store
    .listPredictions(versionId, wanted.map((r) => r.id))
    .filter((p) => p.decision.label !== null)
    .map((p) => ({ clipId: p.clipId, name: name.get(p.clipId) ?? String(p.clipId), label: p.decision.label!, confidence: p.decision.p1 }))
    .sort((a, b) => rank.get(a.clipId)! - rank.get(b.clipId)!);
  const sample = items.slice(0, n);
  if (req.dryRun) return { dryRun: true, versionId, count: rows.length, sample, clipIds: [] };
  if (items.length) {
    const annotator = req.annotator ?? 'annotator';
    store.annotateMany(items.map((i) => ({ clipId: i.clipId, action: 'accept' as const, label: i.label, annotator, modelVersionId: versionId })));
  }
  return { dryRun: false, versionId, count: items.length, sample, clipIds: items.map((i) => i.clipId) };
}

function unreviewedRows(store: ProjectStore, decision: 'accepted' | 'ambiguous-accepted', minConfidence: number): ClipRow[] {
  const rows: ClipRow[] = [];
  const filter = { decision, reviewed: false, minConfidence } as const;
  for (let offset = 0; ; offset += PAGE) {
    const page = store.listClipRows({ offset, limit: PAGE, filter, sort: { by: 'confidence', dir: 'asc' } });
    rows.push(...page.rows);
    if (page.rows.length < PAGE) break;
  }
  return rows;
}
