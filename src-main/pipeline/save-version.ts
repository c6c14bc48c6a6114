// Writes a version, its predictions and (optionally) the active pointer in one transaction, so that a run
// killed while saving leaves either nothing or a complete version — never a version without predictions.
import type { ModelVersion, NewModelVersion, NewPrediction } from '../store/models';
import type { ProjectStore } from '../store/project-store';

export function saveVersion(store: ProjectStore, v: NewModelVersion & { predictions: NewPrediction[]; activate: boolean }): ModelVersion {
  const { predictions, activate, ...version } = v;
  return store.write(() => {
    const saved = store.insertModelVersion(version);
    store.upsertPredictions(saved.id, predictions);
    if (activate) store.setActiveModelVersion(saved.id);
    return saved;
  });
}
