export { writeFileAtomic } from './atomic';
export { exportRows, answersByClip, type ExportRow, type AnnotatorAnswer } from './rows';
export { exportCsv, exportJsonl, CSV_COLUMNS } from './tabular';
export { exportLabelStudio, labelStudioTasks, labelStudioConfig, labelStudioConfigPath, commonFolder, type LabelStudioOptions, type AudioMapping } from './label-studio';
export { exportHfAudiofolder, HF_COLUMNS, type HfExportOptions, type HfExportReport } from './hf-audiofolder';
export { exportTextGrids, textGrid, tile, type Interval, type Tier } from './textgrid';
export { exportEaf, eafDocument } from './eaf';
export { recordingTiers, outputNames, INDEX_FILE, ADJUDICATION_TIER, LABEL_TIER, PREDICTION_TIER, TIER_PREFIX, UNKNOWN_TEXT, type RecordingTiers } from './tiers';
export { SegmentCutter } from './cut-audio';
