// The wording of the Classes dialog (rename, merge, delete) and of a clip's answer history, kept out of the
// components so it is testable on its own. A rename or merge is appended history (store/class-rename.ts).
import type { Annotation } from '../../shared/domain';

export interface ListedClass {
  name: string;
  clips: number;
  /** Names it had before a rename or merge. */
  formerNames?: string[];
}

export type ClassEditKind = 'rename' | 'merge';

export interface ClassEditPlan {
  /** Whether the change can be asked for (the confirmation button is enabled). */
  ok: boolean;
  /** What will change, or why it cannot: shown before the one confirmation. */
  message: string;
}

const clipsText = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'clip' : 'clips'}`;

/** What renaming `from` to `to` (or merging `from` into `to`) will change, in words, with how many clips. */
export function classEditPlan(kind: ClassEditKind, from: ListedClass, to: string, classes: readonly ListedClass[]): ClassEditPlan {
  const name = to.trim();
  if (!name) return { ok: false, message: kind === 'rename' ? 'Type the new name.' : 'Choose the class to merge into.' };
  if (name === from.name) return { ok: false, message: `The class is already called “${from.name}”.` };
  if (name.length > 100) return { ok: false, message: 'A class name has at most 100 characters.' };
  const target = classes.find((c) => c.name === name);
  if (kind === 'rename' && target) return { ok: false, message: `“${name}” already exists: merge “${from.name}” into it instead.` };
  if (kind === 'merge' && !target) return { ok: false, message: `There is no class “${name}”.` };
  const change =
    from.clips === 0 ? 'No clip changes its label.' : `${clipsText(from.clips)} change their label from “${from.name}” to “${name}”.`;
  if (kind === 'rename') {
    return {
      ok: true,
      message: `Rename “${from.name}” to “${name}”: ${change} Earlier answers stay in each clip's history; model versions keep the name they were trained with and their “${from.name}” is read as “${name}”.`,
    };
  }
  return {
    ok: true,
    message: `Merge “${from.name}” into “${name}” (${clipsText(target!.clips)}): ${change} “${from.name}” is then deleted, or kept only as history while a model version or an earlier answer names it.`,
  };
}

/** The message after a rename or merge. */
export function classEditDone(kind: ClassEditKind, r: { from: string; to: string; clips: number }): string {
  return kind === 'rename'
    ? `Renamed “${r.from}” to “${r.to}”: ${clipsText(r.clips)} relabelled.`
    : `Merged “${r.from}” into “${r.to}”: ${clipsText(r.clips)} relabelled.`;
}

const ACTION_TEXT: Record<Annotation['action'], string> = {
  accept: 'accepted',
  reject: 'rejected',
  relabel: 'relabelled as',
  'new-class': 'new class',
  undo: 'undid the previous answer',
};

/** One line of a clip's answer history: who did what, when. */
export function historyLine(a: Pick<Annotation, 'action' | 'label' | 'annotator' | 'createdAt' | 'adjudicated'>): string {
  const when = a.createdAt.replace('T', ' ').slice(0, 16);
  const what = a.action === 'undo' ? ACTION_TEXT.undo : `${ACTION_TEXT[a.action]} ${a.label ?? '(no label)'}`;
  return `${when} · ${a.annotator} ${what}${a.adjudicated ? ' (adjudicated)' : ''}`;
}
