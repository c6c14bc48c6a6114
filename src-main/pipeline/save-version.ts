// Saves a version and its predictions in many short transactions instead of one long one: a long write holds
// SQLite's write lock, and another thread's write (the studio's main thread annotating) then blocks
// synchronously on busy_timeout for as long. The version is inserted marked incomplete (hidden, not
// activatable), its predictions follow in chunks, then it is marked complete and only then activated (pointer
// first, then the clips' copy of the decisions in chunks). A run killed while saving leaves the previous
// version active and the partial one marked incomplete (listed by store.incompleteModelVersionIds()).
import type { ModelVersion, NewModelVersion, NewPrediction } from '../store/models';
import type { ProjectStore } from '../store/project-store';

export interface SaveVersionOptions {
  /** Predictions (and clips, when activating) per transaction. */
  chunkRows?: number;
  /** Runs between transactions; default: pauseForWaitingWriters. */
  between?: () => void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Sleeps a few milliseconds, synchronously. A writer waiting in busy_timeout retries at growing intervals
 * (1, 2, 5 … 100 ms); without a gap between our transactions it would keep finding the lock taken.
 */
export function pauseForWaitingWriters(ms = 4): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export function saveVersion(
  store: ProjectStore,
  v: NewModelVersion & { predictions: NewPrediction[]; activate: boolean },
  opts: SaveVersionOptions = {},
): ModelVersion {
  const { predictions, activate, ...version } = v;
  const chunk = Math.max(1, opts.chunkRows ?? 2000);
  const between = opts.between ?? (() => pauseForWaitingWriters());
  // Small saves keep the single all-or-nothing transaction: nothing to gain from splitting them.
  if (predictions.length <= chunk) {
    return store.write(() => {
      const saved = store.insertModelVersion(version);
      store.upsertPredictions(saved.id, predictions);
      if (activate) store.setActiveModelVersion(saved.id);
      return saved;
    });
  }
  const saved = store.insertModelVersion(version, { incomplete: true });
  for (let i = 0; i < predictions.length; i += chunk) {
    between();
    store.upsertPredictions(saved.id, predictions.slice(i, i + chunk));
  }
  between();
  store.completeModelVersion(saved.id);
  if (activate) store.activateModelVersionInSteps(saved.id, { chunkRows: chunk, between });
  return saved;
}
