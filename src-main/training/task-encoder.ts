// Which encoder a training task will embed with, so the host can fill the embedding cache before the
// training worker starts (see src-main/training/train-host.ts for why).
import type { EncoderSpec } from '../engine/encoders/create';
import type { ProjectStore } from '../store/project-store';
import type { TrainTask } from './train-protocol';
import { loadVersion } from '../pipeline/model-bundle';
import { DEFAULT_ENCODER } from '../pipeline/train-model';

/** The task's encoder, or null when the task embeds nothing (a threshold change) or its base is unknown. */
export function encoderForTask(store: ProjectStore, task: TrainTask): EncoderSpec | null {
  if (task.kind === 'train') return (task.options.encoder as EncoderSpec | undefined) ?? DEFAULT_ENCODER;
  if (task.kind === 'finetune') {
    const baseId = task.options.baseVersionId ?? store.activeModelVersionId();
    if (baseId === null) return null;
    try {
      return loadVersion(store.getModelVersion(baseId)).bundle.encoder;
    } catch {
      return null; // the worker reports the bad base version itself
    }
  }
  return null;
}
