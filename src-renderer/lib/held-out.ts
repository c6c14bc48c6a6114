// What an accuracy the studio shows was measured on, in words. Every accuracy shown after training or
// fine-tuning comes from held-out folds (src-main/pipeline/cross-validate.ts): the head that scored a clip was
// not fitted on it. Versions made before fine-tuning was scored that way carry training-clip numbers; they are
// said to be.
import type { ModelMetrics } from '../../shared/api';

type Scheme = 'leave-one-speaker-out' | 'k-fold';

/** "leave-one-speaker-out (2 speakers)" or "5-fold". */
export function schemeText(scheme: Scheme, folds: number): string {
  return scheme === 'leave-one-speaker-out' ? `leave-one-speaker-out (${folds} speaker${folds === 1 ? '' : 's'})` : `${folds}-fold`;
}

/** "held-out, 5-fold over 57 clips" for a version's cross-validation. */
export function cvText(cv: ModelMetrics['cv']): string {
  if (!cv) return 'not measured: too few clips to hold any out';
  return `held-out, ${schemeText(cv.scheme, cv.folds)}${cv.clips !== undefined ? ` over ${cv.clips} clips` : ''}`;
}

/** What the forgetting / new-class figures of a fine-tuned version were measured on, as a sentence. */
export function forgettingText(f: NonNullable<ModelMetrics['forgetting']>): string {
  const h = f.heldOut;
  if (!h) return "Measured on the head's own training clips (a version made before held-out scoring).";
  if (h.folds === 0) return 'Not measured: too few clips to hold any out.';
  return `Measured held-out, ${schemeText(h.scheme, h.folds)} over ${h.knownClips} known + ${h.newClips} new-class clips: each clip scored by a head trained, grown and fine-tuned without it.`;
}
