export { binaryPRF, weightedAccuracy, unweightedAccuracy, microF1, macroF1, confusionMatrix } from './classification';
export type { BinaryPRF, LabelArray } from './classification';
export { ccc, cccPad } from './regression';
export { auroc } from './ranking';
export { expectedCalibrationError } from './calibration';
export type { CalibrationReport } from './calibration';
