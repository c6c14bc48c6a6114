export { trainModel, epsilonRhoChoice, DEFAULT_ENCODER, DEFAULT_MIN_CLIPS_PER_CLASS } from './train-model';
export { addClassAndFinetune } from './finetune-model';
export type { FinetuneOptions } from './finetune-model';
export { loadVersion, makePredictor, isModelBundle } from './model-bundle';
export type { ModelBundle, Predictor } from './model-bundle';
export { PipelineError, CancelledError, projectClips } from './project-data';
export type { TrainOptions, ModelSettings, ModelMetrics, PipelineProgress, TrainStage, PadMethod, DecisionCounts } from './types';
export { overallPercent } from './progress';
export { toModelSummary, toModelDetails, toClipPrediction } from './views';
