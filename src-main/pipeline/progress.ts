// One overall percentage for a run's stage-wise progress, so that a status bar shows one bar that only
// moves forward. Weights are rough shares of the wall time measured on the demo (80 clips, 2 cores).
import type { PipelineProgress, TrainStage } from './types';

const WEIGHTS: Record<TrainStage, number> = {
  prepare: 2,
  embed: 50,
  standardize: 2,
  tune: 5,
  'cross-validate': 18,
  fit: 15,
  thresholds: 2,
  predict: 4,
  save: 2,
};
const ORDER = Object.keys(WEIGHTS) as TrainStage[];

/** 0..99 while running (100 is left for "finished"). */
export function overallPercent(p: PipelineProgress): number {
  let before = 0;
  for (const s of ORDER) {
    if (s === p.stage) break;
    before += WEIGHTS[s];
  }
  const within = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  return Math.min(99, Math.floor(before + WEIGHTS[p.stage] * within));
}
