// The estimate of labels right (the status bar and Review show it): the share of the project's labels likely
// right, a title that says how it is counted and how far its calibration can be trusted, and one watcher that
// fetches it from 'labels.estimate' (src-main/pipeline/labels-estimate.ts) when answers or the model change.
import type { LabelsEstimate } from '../../shared/api';
import { DECISIONS_PER_MISSING_LABEL } from '../../shared/defaults';
import { api } from './api-client';

const pct = (x: number) => `${Math.round(100 * x)} %`;
const clips = (n: number) => `${n} clip${n === 1 ? '' : 's'}`;

/**
 * The decisions likely still needed to bring the labels to 95 %, as a range (null without a model or once the
 * estimate reaches 95 %): the labels the estimate says are missing, times the decisions per missing label that
 * `eodn simulate` measured (shared/defaults.ts).
 */
export function decisionsTo95(e: LabelsEstimate): { low: number; high: number } | null {
  if (e.versionId === null || e.clips === 0 || e.share >= 0.95) return null;
  const missing = (0.95 - e.share) * e.clips;
  return { low: Math.max(1, Math.round(missing * DECISIONS_PER_MISSING_LABEL.low)), high: Math.max(1, Math.round(missing * DECISIONS_PER_MISSING_LABEL.high)) };
}

/** "≈ 84 % of labels likely right · about 40–57 decisions to 95 %". */
export function estimateLine(e: LabelsEstimate): string {
  const to = decisionsTo95(e);
  const effort = to ? ` · about ${to.low}–${to.high} decisions to 95 %` : e.versionId !== null && e.clips > 0 ? ' · 95 % reached, by this estimate' : '';
  return `≈ ${pct(e.share)} of labels likely right${effort}`;
}

/** How the estimate was made, as sentences (a tooltip). */
export function estimateTitle(e: LabelsEstimate): string {
  const parts = [`An estimate over all ${clips(e.clips)}: ${e.answered} answered (answers count as right)`];
  if (e.versionId === null) {
    parts[0] += '; without a model, no other clip counts.';
    return parts.join(' ');
  }
  const unknown = e.modelUnknown ? `, its best guess for the ${clips(e.modelUnknown)} it calls unknown` : '';
  parts[0] += `; each of the other ${e.modelLabelled} counts the chance that the model's label is right${unknown}.`;
  if (e.unlabelled) parts.push(`${clips(e.unlabelled)} with no label count as wrong.`);
  if (e.calibrated) {
    const from = e.inheritedFrom !== undefined ? ` of version ${e.inheritedFrom} (this one was trained without cross-validation)` : '';
    const ece = e.ece !== undefined ? `expected calibration error ${e.ece.toFixed(3)}, against ${e.eceRaw!.toFixed(3)} for the raw confidence` : `raw confidence's calibration error ${e.eceRaw!.toFixed(3)}`;
    parts.push(`That chance is the model's confidence calibrated on ${e.heldOutClips} held-out clips${from} (${ece}).`);
    parts.push('Those clips are all of classes the model knows: clips of an emotion it does not know make the estimate optimistic.');
  } else {
    parts.push("This model version has no calibration (too few held-out clips, or made before it was recorded): its raw confidence counts, which is usually optimistic.");
  }
  parts.push("An imported label counts only once reviewed; until then its clip counts by the model's label.");
  if (decisionsTo95(e))
    parts.push(
      `The decisions to 95 % are the labels this estimate says are missing times ${DECISIONS_PER_MISSING_LABEL.low}–${DECISIONS_PER_MISSING_LABEL.high}: ` +
        'what the studio\'s loop took per missing label on EmoDB (eodn simulate, docs/simulate), with different unknown emotions.',
    );
  return parts.join(' ');
}

/**
 * A function that runs `load`, one run at a time: calls made while a run is under way make one more run after
 * it (a burst of answers costs two estimates, not one per answer).
 */
export function coalesced(load: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await load();
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => void run();
}

// One estimate for every view that shows it (the status bar and Review): fetched when the first one watches,
// again on each answer, model change or project change, and handed to all of them.
const watchers = new Set<(e: LabelsEstimate | null) => void>();
let unsubscribe: (() => void)[] = [];
const refresh = coalesced(async () => {
  let e: LabelsEstimate | null;
  try {
    e = await api.call('labels.estimate', {});
  } catch {
    e = null; // no project, or it failed: say nothing rather than something wrong
  }
  watchers.forEach((w) => w(e));
});

/** Calls `watcher` with the estimate now and whenever it may have changed; returns the function that stops it. */
export function watchLabelsEstimate(watcher: (e: LabelsEstimate | null) => void): () => void {
  watchers.add(watcher);
  if (watchers.size === 1) unsubscribe = (['labels.changed', 'model.changed', 'project.changed'] as const).map((event) => api.on(event, refresh));
  refresh();
  return () => {
    watchers.delete(watcher);
    if (watchers.size === 0) {
      unsubscribe.forEach((off) => off());
      unsubscribe = [];
    }
  };
}
