// The review queue, defined once for the Review view and for `eodn simulate`, which measures the studio's own
// loop: which clips a queue holds, and the order they come in.
import type { ClipFilter, ClipSort } from './api';
import type { DecisionKind } from './domain';

/**
 * 'disagreements': clips whose annotators' standing answers name different classes (adjudicated or not);
 * an answer there is an adjudication (src-main/store/current-label.ts: adjudicated, else majority, else unresolved).
 */
export type ReviewQueue = 'needs-review' | DecisionKind | 'all' | 'disagreements';

export function reviewQueueFilter(q: ReviewQueue): ClipFilter {
  if (q === 'needs-review') return { reviewed: false };
  if (q === 'all') return {};
  if (q === 'disagreements') return { disagreement: true };
  return { decision: q };
}

/** Least confident first: the clips where the annotator's answer corrects and teaches the model most. */
export const REVIEW_ORDER: ClipSort = { by: 'confidence', dir: 'asc' };
