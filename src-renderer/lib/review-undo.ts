// Undo in Review: U takes back the last answer given in this session, wherever the queue has moved on to
// since (A, R and the digits move to the next clip). The session's answers are a stack of clips; an undo pops
// one. Messages name the clip's file, never its internal id.

export interface AnsweredClip {
  clipId: number;
  /** The clip's file name, as the queue shows it. */
  name: string;
}

/** The clip U should undo on: the last one answered in this session, else the clip on screen. */
export function undoTarget(answered: readonly AnsweredClip[], current: AnsweredClip | null): AnsweredClip | null {
  return answered.at(-1) ?? current;
}

/** The stack after an undo on `clipId`: its latest entry for that clip removed. */
export function afterUndo(answered: readonly AnsweredClip[], clipId: number): AnsweredClip[] {
  const i = answered.map((a) => a.clipId).lastIndexOf(clipId);
  return i < 0 ? [...answered] : [...answered.slice(0, i), ...answered.slice(i + 1)];
}

/** True for the store's refusal of an undo on a clip with no standing answer. */
export function isNothingToUndo(message: string): boolean {
  return /nothing to undo/i.test(message);
}

export function undoneMessage(name: string): string {
  return `Undid the last answer on ${name}`;
}

export function nothingToUndoMessage(name: string): string {
  return `Nothing to undo on ${name}: it has no answer left to take back.`;
}

/**
 * Why A (accept) or R (reject) is refused on the clip on screen, and what to press instead; null when the key
 * applies. Both answer the model's suggested label, so a clip the model called unknown (no label) has none,
 * and a clip without a prediction in the active model has nothing to answer yet.
 */
export function refusedAnswerMessage(
  action: 'accept' | 'reject',
  decision: { label: string | null } | null | undefined,
  keys: { relabelFirst: string; relabelLast: string; newClass: string },
): string | null {
  if (decision?.label) return null;
  const verb = action === 'accept' ? 'accept' : 'reject';
  const instead = `Relabel it (${keys.relabelFirst}-${keys.relabelLast}) or make a new class (${keys.newClass}).`;
  if (!decision) return `Nothing to ${verb} yet: this clip has no prediction in the active model. ${instead}`;
  return `Nothing to ${verb}: the model called this clip unknown, so it suggests no label. ${instead}`;
}
