// Batch accept: the active model's label on every unreviewed clip it accepted with at least a given top-1
// probability. A dry run only counts (and names a few) so the annotator sees what will happen; a real run
// records every answer in one transaction (all or nothing).
import type { BatchAcceptResult } from '../../shared/api';
import type { ClipRow } from '../../shared/domain';
import type { ProjectStore } from '../store/project-store';

export interface BatchAcceptRequest {
  minConfidence: number;
  decision?: 'accepted' | 'ambiguous-accepted';
  dryRun: boolean;
  annotator?: string;
}

const SAMPLE = 12;
const PAGE = 10_000;

export function batchAccept(store: ProjectStore, req: BatchAcceptRequest): BatchAcceptResult {
  const versionId = store.activeModelVersionId();
  if (versionId === null) return { dryRun: req.dryRun, versionId: null, count: 0, sample: [] };
  // The clip rows mirror the active version's decision and confidence, so SQL does the filtering.
  const rows: ClipRow[] = [];
  const filter = { decision: req.decision ?? 'accepted', reviewed: false, minConfidence: req.minConfidence } as const;
  for (let offset = 0; ; offset += PAGE) {
    const page = store.listClipRows({ offset, limit: PAGE, filter, sort: { by: 'confidence', dir: 'desc' } });
    rows.push(...page.rows);
    if (page.rows.length < PAGE) break;
  }
  const name = new Map(rows.map((r) => [r.id, r.name]));
  // The label comes from the stored prediction, the same one the review panel shows. Accepted kinds always
  // carry one, so a dry run reads only the sample's predictions (the count is the rows').
  const wanted = req.dryRun ? rows.slice(0, SAMPLE) : rows;
  const items = store
    .listPredictions(versionId, wanted.map((r) => r.id))
    .filter((p) => p.decision.label !== null)
    .map((p) => ({ clipId: p.clipId, name: name.get(p.clipId) ?? String(p.clipId), label: p.decision.label!, confidence: p.decision.p1 }));
  const sample = items.slice(0, SAMPLE);
  if (req.dryRun) return { dryRun: true, versionId, count: rows.length, sample };
  if (items.length) {
    const annotator = req.annotator ?? 'annotator';
    store.annotateMany(items.map((i) => ({ clipId: i.clipId, action: 'accept' as const, label: i.label, annotator, modelVersionId: versionId })));
  }
  return { dryRun: false, versionId, count: items.length, sample };
}
