export { runEvaluation, evaluateRows, type RunOptions } from './run';
export { evaluateFold, type FoldData, type FoldResult } from './fold';
export { aggregate, accuracyOf, type EvaluationReport, type Accuracy } from './aggregate';
export { formatReport } from './report-table';
export { loadDataset, type EvalClip, type EvalDataset } from './dataset';
export { embedClips, defaultCacheDir, defaultEmbedWorkerPath, type EmbedClipsOptions } from './embed-clips';
export { DEFAULT_EVALUATION_SETTINGS, DETECTORS, LABELLING_VARIANTS, resolveSettings } from './settings';
export type { EvaluationSettings, DetectorName, LabellingVariant } from './settings';
