export { binaryPRF, weightedAccuracy, unweightedAccuracy, microF1, macroF1, confusionMatrix } from './classification';
export type { BinaryPRF, LabelArray } from './classification';
export { ccc, cccPad } from './regression';
export { auroc } from './ranking';
export { expectedCalibrationError, fitCalibrationMap, applyCalibration, heldOutCalibration, MIN_CALIBRATION_CLIPS } from './calibration';
export type { CalibrationReport, CalibrationMap, HeldOutCalibration } from './calibration';
