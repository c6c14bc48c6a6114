export { importDataset, audioFacts, sha256, type AudioFacts, type ImportOptions, type ImportProgress, type ImportResult, type ImportDuplicate } from './import-dataset';
export { ImportSourceError, readManifest, type ImportEntry } from './manifest';
export { detectSource, resolveSource, walkAudio, AUDIO_EXTENSIONS, type ImportSource } from './sources';
export { parseEmodbName, parseRavdessName, EMODB_EMOTIONS, RAVDESS_EMOTIONS } from './naming';
export { relinkByHash, refreshMissing, type RelinkReport } from './relink';
export { parseCsv, CsvError } from './csv';
export { readLabelStudioTasks, isLabelStudioTasks, taskAudioPath, taskLabel, type LabelStudioSourceOptions } from './label-studio';
export { parseTextGrid, TextGridError, type TextGrid, type TextGridTier, type TextGridInterval } from './textgrid';
