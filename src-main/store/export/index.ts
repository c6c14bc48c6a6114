export { writeFileAtomic } from './atomic';
export { exportRows, answersByClip, clipAnswers, voteDistribution, type ExportRow, type AnnotatorAnswer, type ClipAnswers, type Vote } from './rows';
export { exportCsv, exportJsonl, softLabelValues, CSV_COLUMNS } from './tabular';
export { exportLabelStudio, labelStudioTasks, labelStudioConfig, labelStudioConfigPath, commonFolder, type LabelStudioOptions, type AudioMapping } from './label-studio';
export { exportHfAudiofolder, HF_COLUMNS, type HfExportOptions, type HfExportReport } from './hf-audiofolder';
export { exportTextGrids, textGrid, tile, type Interval, type Tier } from './textgrid';
export { exportEaf, eafDocument } from './eaf';
export { recordingTiers, outputNames, INDEX_FILE, ADJUDICATION_TIER, LABEL_TIER, PREDICTION_TIER, TIER_PREFIX, UNKNOWN_TEXT, type RecordingTiers } from './tiers';
export { SegmentCutter } from './cut-audio';
