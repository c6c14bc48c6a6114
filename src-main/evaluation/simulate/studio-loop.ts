// The studio's loop, driven by a simulated annotator through the very functions the views call: Review's
// queue (shared/review-queue.ts) and answers (store.annotate), "Batch accept…" (pipeline/batch-accept),
// Discover's clusters (pipeline/discover) named in one decision and grown into a class by eq. 6 + fine-tuning
// (pipeline/finetune-model, the Train step). Every act is booked in the ledger at the price it costs.
import { REVIEW_ORDER, reviewQueueFilter } from '../../../shared/review-queue';
import { addClassAndFinetune } from '../../pipeline';
import { batchAccept } from '../../pipeline/batch-accept';
import { discoverUnknownClusters } from '../../pipeline/discover';
import type { ProjectStore } from '../../store/project-store';
import type { SimulatedAnnotator } from './annotator';
import { DecisionLedger } from './ledger';
import { poolLabels, poolRows } from './pool-state';

export const SIM_ANNOTATOR = 'simulated annotator';

export interface StudioLoopSettings {
  /** Batch accept the model's accepted clips at or above this top-1 probability (null: never). */
  batchAcceptMin: number | null;
  /** Name the clusters of unknown clips before reviewing one by one. */
  clustersFirst: boolean;
  /** A cluster is named only when at least this share of it has the annotator's majority label. */
  minClusterAgreement: number;
  /** A label the model lacks becomes a class (eq. 6 + fine-tune) once the annotator has given it this often. */
  minNewClassClips: number;
  /** Batch accept again after this many single reviews (0: only at the start). */
  batchEvery: number;
}

export const DEFAULT_STUDIO_LOOP: StudioLoopSettings = {
  batchAcceptMin: 0.9,
  clustersFirst: true,
  minClusterAgreement: 0.5,
  minNewClassClips: 3,
  batchEvery: 0,
};

export interface StudioLoopResult {
  ledger: DecisionLedger;
  classesAdded: string[];
  finetunes: number;
}

export async function runStudioLoop(store: ProjectStore, pool: readonly number[], annotator: SimulatedAnnotator, s: StudioLoopSettings = DEFAULT_STUDIO_LOOP): Promise<StudioLoopResult> {
  const ledger = new DecisionLedger(poolLabels(store, pool));
  const inPool = new Set(pool);
  const classesAdded: string[] = [];
  let finetunes = 0;
  const modelClasses = () => store.getModelVersion(store.activeModelVersionId()!).classes;
  const projectHas = (name: string) => store.classes().some((c) => c.name === name);

  /** A label the model lacks, given often enough: a class of its own, grown from every clip that has it. */
  const growIfReady = async (label: string) => {
    if (modelClasses().includes(label)) return;
    const rows = poolRows(store, pool);
    const ids = pool.filter((id) => rows.get(id)?.currentLabel === label);
    if (ids.length < s.minNewClassClips) return;
    await addClassAndFinetune(store, { name: label, clipIds: ids, annotator: SIM_ANNOTATOR });
    classesAdded.push(label);
    finetunes++;
  };

  const answer = (id: number, label: string, shown: string | null) => {
    const action = shown === label ? 'accept' : projectHas(label) ? 'relabel' : 'new-class';
    store.annotate(id, { action, label, annotator: SIM_ANNOTATOR, modelVersionId: store.activeModelVersionId() });
  };

  const batch = () => {
    if (s.batchAcceptMin === null) return;
    const r = batchAccept(store, { minConfidence: s.batchAcceptMin, dryRun: false, annotator: SIM_ANNOTATOR });
    if (r.count === 0) return;
    // The annotator goes through what was accepted and corrects what is wrong: one decision per correction.
    const accepted = store.listClipRows({ offset: 0, limit: 1_000_000, filter: { reviewed: true } }).rows.filter((row) => inPool.has(row.id));
    let corrected = 0;
    for (const row of accepted) {
      const last = store.clipHistory(row.id).at(-1);
      if (last?.action !== 'accept' || last.annotator !== SIM_ANNOTATOR || last.modelVersionId !== r.versionId) continue;
      const said = annotator.label(row.id);
      if (said !== row.currentLabel) {
        answer(row.id, said, row.currentLabel);
        corrected++;
      }
    }
    ledger.record('batch-accept', corrected, poolLabels(store, pool));
  };

  const nameClusters = async () => {
    // Each naming may add a class and re-predict: cluster again until nothing new is named.
    for (let round = 0; round < 10; round++) {
      const d = await discoverUnknownClusters(store);
      let named = false;
      for (const c of d.clusters) {
        const rows = poolRows(store, pool);
        const ids = c.clipIds.filter((id) => inPool.has(id) && rows.get(id)?.reviewed === false);
        if (ids.length === 0) continue;
        const said = new Map<string, number[]>();
        for (const id of ids) said.set(annotator.label(id), [...(said.get(annotator.label(id)) ?? []), id]);
        const [name, kept] = [...said].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))[0];
        if (kept.length / ids.length < s.minClusterAgreement) {
          ledger.record('dismiss-cluster', 0, poolLabels(store, pool));
          continue;
        }
        const takenOut = ids.length - kept.length;
        if (modelClasses().includes(name)) {
          // "Send these N clips to <class>": one decision, plus one per clip taken out first.
          store.annotateMany(kept.map((id) => ({ clipId: id, action: projectHas(name) ? ('relabel' as const) : ('new-class' as const), label: name, annotator: SIM_ANNOTATOR })));
          ledger.record('name-cluster', takenOut, poolLabels(store, pool));
        } else {
          // "Create class <name> from these N clips": the answer is recorded at once, the model grows after.
          await addClassAndFinetune(store, { name, clipIds: kept, annotator: SIM_ANNOTATOR });
          classesAdded.push(name);
          finetunes++;
          ledger.record('name-cluster', takenOut, poolLabels(store, pool));
          named = true;
          break; // the model changed: its unknowns are clustered again
        }
      }
      if (!named) return;
    }
  };

  batch();
  if (s.clustersFirst) await nameClusters();

  let reviews = 0;
  for (;;) {
    const next = store.listClipRows({ offset: 0, limit: 1, filter: reviewQueueFilter('needs-review'), sort: REVIEW_ORDER }).rows[0];
    if (!next || !inPool.has(next.id)) break;
    const activeId = store.activeModelVersionId()!;
    const shown = store.listPredictions(activeId, [next.id])[0]?.decision.label ?? null;
    const said = annotator.label(next.id);
    answer(next.id, said, shown);
    ledger.record('review', 0, poolLabels(store, pool));
    reviews++;
    await growIfReady(said);
    if (s.batchEvery > 0 && reviews % s.batchEvery === 0) batch();
  }
  return { ledger, classesAdded, finetunes };
}
