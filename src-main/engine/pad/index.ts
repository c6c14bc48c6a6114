export { padFromProbs, padDistance, nearestTerms, suggestTerms, meanPad, labelGroup } from './project';
export type { NearestTerm, NearestOptions, GroupLabel } from './project';
export { PadRidge } from './ridge';
export type { PadRidgeJSON } from './ridge';
export { classPadsFor } from './class-pads';
