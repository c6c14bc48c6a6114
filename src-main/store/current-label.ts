// The current label of a clip, derived from its append-only annotation history.
// Entries are replayed in order on a stack: accept/reject/relabel/new-class push, 'undo' pops the latest
// entry still standing (so undo, undo cancels the two latest answers). The top of the stack decides:
//   accept | relabel | new-class → its label;
//   reject → "not this label": fall back to the import label, or to no label when the import label is the
//            very label that was rejected;
//   empty stack → the import label, and the clip counts as not reviewed.
import type { AnnotationAction } from '../../shared/domain';

export interface LabelEvent {
  action: AnnotationAction;
  label: string | null;
}

export interface LabelState {
  currentLabel: string | null;
  reviewed: boolean;
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
  const standing = standingEvents(history);
  const top = standing[standing.length - 1];
  if (!top) return { currentLabel: importLabel, reviewed: false };
  if (top.action === 'reject') {
    return { currentLabel: top.label !== null && top.label === importLabel ? null : importLabel, reviewed: true };
  }
  return { currentLabel: top.label, reviewed: true };
}
