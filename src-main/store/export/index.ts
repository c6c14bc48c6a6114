export { writeFileAtomic } from './atomic';
export { exportRows, type ExportRow } from './rows';
export { exportCsv, exportJsonl, CSV_COLUMNS } from './tabular';
export { exportLabelStudio, labelStudioTasks, labelStudioConfig, labelStudioConfigPath, commonFolder, type LabelStudioOptions, type AudioMapping } from './label-studio';
export { exportHfAudiofolder, type HfExportOptions, type HfExportReport } from './hf-audiofolder';
export { exportTextGrids, textGrid, type Interval } from './textgrid';
