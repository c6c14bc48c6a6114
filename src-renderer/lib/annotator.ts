// Who the studio records answers as: the name chosen once per data folder (kept by main, `app.info`'s
// `annotator`, changed with `app.setAnnotator`). The one API client signs every decision call that names no
// annotator with it, so each view's answers (Review, Discover, batch accept, fine-tuning) carry it.
import { DEFAULT_ANNOTATOR, type Method, type MethodArgs } from '../../shared/api';

/** The calls that record a decision and take an `annotator`. */
export const DECISION_METHODS: ReadonlySet<Method> = new Set<Method>(['annotations.add', 'annotations.addMany', 'annotations.batchAccept', 'models.finetune', 'classes.rename', 'classes.merge']);

let current: string | null = null;

/** The name answers are recorded under now ("annotator" until one is chosen). */
export function annotatorName(): string {
  return current ?? DEFAULT_ANNOTATOR;
}

/** Sets the name (null: none chosen); what the data folder keeps is main's business (`app.setAnnotator`). */
export function setAnnotatorName(name: string | null): void {
  const n = name?.trim();
  current = n ? n : null;
}

/** The arguments of a call, with the annotator's name added when the call records a decision and names no one. */
export function signDecision<M extends Method>(method: M, args: MethodArgs<M>): MethodArgs<M> {
  if (!DECISION_METHODS.has(method) || !args || typeof args !== 'object' || Array.isArray(args)) return args;
  const a = args as Record<string, unknown>;
  return (a.annotator === undefined ? { ...a, annotator: annotatorName() } : args) as MethodArgs<M>;
}

/** The studio asks for a name when a project is open and this data folder has none yet. */
export function shouldAskName(chosen: string | null | undefined, projectOpen: boolean, asked: boolean): boolean {
  return projectOpen && !asked && chosen === null;
}
