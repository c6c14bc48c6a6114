import { describe, expect, it } from 'vitest';
import type { JobProgressEvent } from '../../shared/api';
import { applyProgress, buildCurveLayout, buildCurveTraces, buildPhaseTraces, emptyChartText, isFinished, phaseLabel, phaseReadouts, phasesMaxEpoch, runPhases, type TrainRun } from '../../src-renderer/lib/train-curves';

const ev = (p: Partial<JobProgressEvent>): JobProgressEvent => ({ jobId: 'j1', kind: 'finetune', done: 0, total: 100, message: '', state: 'running', ...p });
const fit = (epoch: number, of = 60) => ev({ stage: 'fit', epoch, loss: 1 / epoch, accuracy: Math.min(1, epoch / 10), done: 50 + epoch / 4, message: `fine-tuning: epoch ${epoch} of ${of}` });
const fold = (events: JobProgressEvent[], start: TrainRun | null = null) => events.reduce<TrainRun | null>(applyProgress, start)!;

describe('applyProgress', () => {
  it('collects one point per epoch of the fit, with the total read from the message', () => {
    const run = fold([ev({ stage: 'embed', done: 20, message: 'embedding clips' }), fit(1), fit(2), fit(3)]);
    expect(run.epochs).toEqual([
      { epoch: 1, loss: 1, accuracy: 0.1 },
      { epoch: 2, loss: 0.5, accuracy: 0.2 },
      { epoch: 3, loss: 1 / 3, accuracy: 0.3 },
    ]);
    expect(run.totalEpochs).toBe(60);
    expect(run).toMatchObject({ jobId: 'j1', kind: 'finetune', state: 'running', stage: 'fit', message: 'fine-tuning: epoch 3 of 60' });
  });

  it('ignores epochs outside the fit stage and events without numbers', () => {
    const run = fold([ev({ stage: 'cross-validate', epoch: 4, loss: 1, accuracy: 0.5 }), ev({ stage: 'fit', epoch: 1, loss: NaN, accuracy: 0.2 })]);
    expect(run.epochs).toEqual([]);
  });

  it('starts a new curve when a fit restarts, and a new run for a new job', () => {
    const run = fold([fit(1), fit(2), fit(1)]);
    expect(run.epochs.map((p) => p.epoch)).toEqual([1]);
    const other = applyProgress(run, { ...fit(5), jobId: 'j2', kind: 'train' });
    expect(other).toMatchObject({ jobId: 'j2', kind: 'train' });
    expect(other.epochs.map((p) => p.epoch)).toEqual([5]);
  });

  it('keeps the percentage moving forward and freezes the run once finished', () => {
    const done = fold([fit(1), ev({ done: 10 }), ev({ state: 'done', done: 100, message: 'model version 2 is active', versionId: 2 })]);
    expect(done).toMatchObject({ state: 'done', percent: 100, versionId: 2, message: 'model version 2 is active' });
    expect(isFinished(done)).toBe(true);
    expect(applyProgress(done, fit(9))).toBe(done);
    const failed = fold([fit(1), ev({ state: 'failed', done: 100, message: 'failed: boom', error: 'boom' })]);
    expect(failed).toMatchObject({ state: 'failed', error: 'boom' });
    expect(isFinished(fold([ev({ state: 'cancelled', message: 'cancelled' })]))).toBe(true);
    expect(isFinished(null)).toBe(false);
  });
});

describe('curve traces', () => {
  it('draws loss on the left axis and accuracy in percent on the right', () => {
    const run = fold([fit(1), fit(2)]);
    const [loss, acc] = buildCurveTraces(run.epochs);
    expect(loss).toMatchObject({ type: 'scatter', name: 'Loss', x: [1, 2], y: [1, 0.5], yaxis: 'y' });
    expect(acc).toMatchObject({ name: 'Accuracy', x: [1, 2], yaxis: 'y2' });
    expect(acc.y.map((v) => Math.round(v))).toEqual([10, 20]);
    const layout = buildCurveLayout(undefined, 60) as { xaxis: { range: number[] }; yaxis2: { range: number[]; overlaying: string } };
    expect(layout.xaxis.range).toEqual([0, 60]);
    expect(layout.yaxis2).toMatchObject({ overlaying: 'y', range: [0, 104] });
  });
});

// Issue 18, item 5: a training run fits the detection head, then the label head, under one 'fit' stage whose
// epoch runs on across both; each fit is its own curve over its own epochs, and the caption says each.
describe('fits of one run', () => {
  const head = (what: string, epoch: number, offset: number, loss: number) =>
    ev({ kind: 'train', stage: 'fit', epoch: offset + epoch, loss, accuracy: 0.5, done: offset + epoch, total: 300, message: `training the ${what} head: epoch ${epoch} of 150` });
  const trainRun = () => fold([head('detection', 1, 0, 0.9), head('detection', 150, 0, 0.4), head('label', 1, 150, 0.5), head('label', 150, 150, 0.0141)]);

  it('keeps the detection head and the label head apart, each with its own epochs and total', () => {
    const run = trainRun();
    expect(runPhases(run).map((p) => [p.name, p.total, p.epochs.map((e) => e.epoch)])).toEqual([
      ['training the detection head', 150, [1, 150]],
      ['training the label head', 150, [1, 150]],
    ]);
    expect(run.totalEpochs).toBe(150);
    expect(run.epochs.at(-1)).toEqual({ epoch: 150, loss: 0.0141, accuracy: 0.5 });
  });

  it('draws each fit as its own traces, never one line over 300 epochs', () => {
    const phases = runPhases(trainRun());
    const traces = buildPhaseTraces(phases);
    expect(traces.map((t) => t.name)).toEqual(['Loss · Detection head', 'Accuracy · Detection head', 'Loss · Label head', 'Accuracy · Label head']);
    expect(traces[0]).toMatchObject({ x: [1, 150], y: [0.9, 0.4] });
    expect(traces[2]).toMatchObject({ x: [1, 150], y: [0.5, 0.0141] });
    expect(traces[0].line.dash).not.toBe(traces[2].line.dash);
    expect(Math.max(...traces.flatMap((t) => t.x))).toBe(150);
    expect(phasesMaxEpoch(phases)).toBe(150);
  });

  it('says each fit in the caption, consistent with what is drawn', () => {
    const lines = phaseReadouts(runPhases(trainRun()));
    expect(lines).toEqual([
      'Detection head: epoch 150 of 150 · loss 0.4000 · training accuracy 50.0 %',
      'Label head: epoch 150 of 150 · loss 0.0141 · training accuracy 50.0 %',
    ]);
    expect(lines.join(' ')).not.toContain('of 300');
    expect(lines.join(' ')).not.toMatch(/epoch 300/);
  });

  it('names fine-tuning fits, and keeps an unnamed single fit as before', () => {
    expect(phaseLabel('fine-tuning the label head')).toBe('Fine-tuning the label head');
    expect(phaseLabel('training the detection head')).toBe('Detection head');
    const single = fold([fit(1), fit(2)]);
    expect(buildPhaseTraces(runPhases(single)).map((t) => t.name)).toEqual(['Loss · Fine-tuning', 'Accuracy · Fine-tuning']);
    expect(buildPhaseTraces([{ name: '', total: 60, epochs: single.epochs }]).map((t) => t.name)).toEqual(['Loss', 'Accuracy']);
    expect(phaseReadouts(runPhases(single))).toEqual(['Fine-tuning: epoch 2 of 60 · loss 0.5000 · training accuracy 20.0 %']);
  });

  it('says a run was cancelled or failed instead of waiting for the first epoch', () => {
    expect(emptyChartText('cancelled')).toContain('Cancelled');
    expect(emptyChartText('failed')).toContain('Failed');
    expect(emptyChartText('running')).toBe('Waiting for the first epoch…');
  });
});
