// The current label of a clip, derived from its append-only annotation history.
// Entries are replayed in order on a stack: accept/reject/relabel/new-class push, 'undo' pops the latest
// entry still standing (so undo, undo cancels the two latest answers), whoever gave it. Then:
//   empty stack → the import label, and the clip counts as not reviewed;
//   THE RULE WITH SEVERAL ANNOTATORS (issue 14), in this order:
//   1. adjudicated: the latest standing adjudicated entry (an adjudicator's decision) gives the label;
//   2. majority: when two or more annotators have standing entries, each annotator's latest standing
//      (non-adjudicated) entry is their vote (a reject names no class: no vote); the label with strictly more
//      votes than any other is the label (a plurality: 2 of 4 beats 1 and 1);
//   3. unresolved: a tie between the most voted labels leaves the clip without a label (null, reviewed).
//   When nobody voted (only rejects) or one annotator answered, the top of the stack decides, as it always did:
//   accept | relabel | new-class → its label;
//   reject → "not this label": fall back to the import label, or to no label when the import label is the
//            very label that was rejected.
// Events without an annotator count as one annotator's (callers that only know action and label).
import type { AnnotationAction } from '../../shared/domain';

export interface LabelEvent {
  action: AnnotationAction;
  label: string | null;
  /** Who gave it; two or more annotators standing bring in the majority rule. */
  annotator?: string;
  /** An adjudicator's decision (annotations.adjudicated: 1 or true). */
  adjudicated?: boolean | number;
}

/** One annotations row as the vote readers select it (adjudication.ts, annotator-votes.ts). */
export interface AnnotationVoteRow {
  clip_id: number;
  annotator: string;
  action: AnnotationAction;
  label: string | null;
  adjudicated: number;
}

export interface LabelState {
  currentLabel: string | null;
  reviewed: boolean;
}

/** Which step of the rule gave a clip its label. */
export type LabelRule = 'none' | 'single' | 'adjudicated' | 'majority' | 'unresolved';

export interface LabelResolution extends LabelState {
  rule: LabelRule;
  /** Each annotator's vote (latest standing entry naming a class), annotators sorted by name. */
  votes: { annotator: string; label: string }[];
  /** The standing adjudication that decided, if any. */
  adjudication: { annotator: string; label: string } | null;
}

const NAMES_A_CLASS: ReadonlySet<AnnotationAction> = new Set(['accept', 'relabel', 'new-class']);
const isAdjudicated = (e: LabelEvent) => e.adjudicated === true || e.adjudicated === 1;
const ONE_ANNOTATOR = '\u0000';

/** The label of a clip and which step of the rule gave it (see the top of this file). */
export function resolveLabel(importLabel: string | null, history: readonly LabelEvent[]): LabelResolution {
  const standing = standingEvents(history);
  const latest = new Map<string, LabelEvent>();
  let adjudication: LabelEvent | null = null;
  for (const e of standing) {
    if (isAdjudicated(e)) adjudication = e;
    else latest.set(e.annotator ?? ONE_ANNOTATOR, e);
  }
  const votes = [...latest]
    .filter(([, e]) => NAMES_A_CLASS.has(e.action) && e.label !== null)
    .map(([annotator, e]) => ({ annotator, label: e.label! }))
    .sort((a, b) => (a.annotator < b.annotator ? -1 : a.annotator > b.annotator ? 1 : 0));
  const adj = adjudication && adjudication.label !== null ? { annotator: adjudication.annotator ?? ONE_ANNOTATOR, label: adjudication.label } : null;
  const top = standing[standing.length - 1];
  if (!top) return { currentLabel: importLabel, reviewed: false, rule: 'none', votes, adjudication: null };
  if (adj) return { currentLabel: adj.label, reviewed: true, rule: 'adjudicated', votes, adjudication: adj };
  if (latest.size >= 2 && votes.length > 0) {
    const counts = new Map<string, number>();
    for (const v of votes) counts.set(v.label, (counts.get(v.label) ?? 0) + 1);
    const most = Math.max(...counts.values());
    const leaders = [...counts].filter(([, n]) => n === most);
    if (leaders.length === 1) return { currentLabel: leaders[0][0], reviewed: true, rule: 'majority', votes, adjudication: null };
    return { currentLabel: null, reviewed: true, rule: 'unresolved', votes, adjudication: null };
  }
  return { ...topOfStack(importLabel, top), rule: 'single', votes, adjudication: null };
}

function topOfStack(importLabel: string | null, top: LabelEvent): LabelState {
  if (top.action === 'reject') {
    return { currentLabel: top.label !== null && top.label === importLabel ? null : importLabel, reviewed: true };
  }
  return { currentLabel: top.label, reviewed: true };
}

/** The entries still standing after the undos, oldest first (an undone entry never comes back). */
export function standingEvents<E extends LabelEvent>(history: readonly E[]): E[] {
  const standing: E[] = [];
  for (const e of history) {
    if (e.action === 'undo') standing.pop();
    else standing.push(e);
  }
  return standing;
}

export function deriveLabelState(importLabel: string | null, history: readonly LabelEvent[]): LabelState {
  const { currentLabel, reviewed } = resolveLabel(importLabel, history);
  return { currentLabel, reviewed };
}
