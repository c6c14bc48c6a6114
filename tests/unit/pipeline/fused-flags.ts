// The clips a version's fused detector flags, all of them and those Discover groups (not labelled with a known
// class): what the Discover and fused-detector tests count against.
import { fusedVerdictOf } from '../../../src-main/pipeline/fused-detector';
import type { ProjectStore } from '../../../src-main/store/project-store';

export function fusedFlags(store: ProjectStore, versionId: number, known: readonly string[]) {
  const label = new Map(store.listClipRows({ offset: 0, limit: 1_000_000 }).rows.map((r) => [r.id, r.currentLabel]));
  const all = store.listPredictions(versionId).filter((p) => fusedVerdictOf(p.decision)?.unknown);
  return { all, toGroup: all.filter((p) => !known.includes(label.get(p.clipId)!)) };
}
