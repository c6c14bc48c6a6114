// The Train view once a run is done: every accuracy it shows is held-out and says what it was measured on
// (issue 10): a trained version's cross-validation, a fine-tuned version's forgetting and new-class accuracy.
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelDetails, ModelMetrics } from '../../shared/api';
import { CLASSES, metrics } from './fixtures';
import type { TrainRun } from '../../src-renderer/lib/train-curves';

const plotly = vi.hoisted(() => ({ react: vi.fn(async (el: HTMLElement) => el), purge: vi.fn() }));
vi.mock('plotly.js-dist-min', () => ({ default: plotly }));
const calls = vi.hoisted(() => ({ version: null as unknown }));
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: { call: vi.fn(async (method: string) => (method === 'models.get' ? calls.version : null)), on: () => () => {} },
}));
const { default: TrainView } = await import('../../src-renderer/views/TrainView.svelte');

afterEach(() => cleanup());

const run = (kind: string): TrainRun => ({ jobId: 'job-1', kind, state: 'done', stage: 'save', message: 'done', percent: 100, epochs: [], totalEpochs: null, versionId: 2, error: null });
const version = (classes: string[], m: ModelMetrics): ModelDetails => ({ id: 2, parentId: 1, name: 'v', createdAt: '2026-01-01', classes, active: true, settings: {}, metrics: m, epsilon: 0.7, rho: 0.5, thresholds: [] });

async function show(kind: string, v: ModelDetails) {
  calls.version = v;
  render(TrainView, { props: { run: run(kind), ontrain: () => {}, onmodels: () => {} } });
  await waitFor(() => expect(screen.getByTestId('train-result')).toBeTruthy());
}

describe('TrainView results', () => {
  it("shows a trained version's held-out accuracy, never its training accuracy, and what it was measured on", async () => {
    await show('train', version(CLASSES, metrics({ trainAccuracy: 1, cv: { scheme: 'k-fold', folds: 5, accuracy: 0.612, uar: 0.598, clips: 57 } })));
    const cards = screen.getByTestId('held-out').textContent!;
    expect(cards).toContain('61.2 %');
    expect(cards).toContain('59.8 %');
    expect(cards).not.toContain('100.0 %');
    expect(screen.getByTestId('measured-on').textContent).toContain('held-out, 5-fold over 57 clips');
  });

  it("shows a fine-tuned version's held-out forgetting and new-class accuracy with the folds and clips", async () => {
    const forgetting = { knownAccuracyBefore: 0.7, knownAccuracyAfter: 0.65, newClassAccuracy: 0.5, nNew: 12, replayed: 57, heldOut: { scheme: 'leave-one-speaker-out' as const, folds: 2, knownClips: 57, newClips: 12 } };
    await show('finetune', version([...CLASSES, 'fear'], metrics({ forgetting })));
    expect(screen.getByTestId('forgetting').textContent).toMatch(/70\.0 %\s*→\s*65\.0 %/);
    expect(screen.getByTestId('forgetting').textContent).toContain('−5.0 pts on 57 held-out known clips');
    expect(screen.getByTestId('new-class-accuracy').textContent).toContain('50.0 %');
    expect(screen.getByTestId('new-class-accuracy').textContent).toContain('on 12 of its 12 clips held out');
    expect(screen.getByTestId('measured-on').textContent).toContain('Measured held-out, leave-one-speaker-out (2 speakers) over 57 known + 12 new-class clips');
  });

  it('says so when a version (made before) measured on its training clips, or could hold nothing out', async () => {
    const old = { knownAccuracyBefore: 1, knownAccuracyAfter: 1, newClassAccuracy: 1, nNew: 3, replayed: 10 };
    await show('finetune', version([...CLASSES, 'fear'], metrics({ forgetting: old })));
    expect(screen.getByTestId('measured-on').textContent).toContain("on the head's own training clips");
    cleanup();
    const none = { ...old, knownAccuracyBefore: NaN, knownAccuracyAfter: NaN, newClassAccuracy: NaN, heldOut: { scheme: 'k-fold' as const, folds: 0, knownClips: 0, newClips: 0 } };
    await show('finetune', version([...CLASSES, 'fear'], metrics({ forgetting: none })));
    expect(screen.getByTestId('forgetting').textContent).toContain('— → —');
    expect(screen.getByTestId('measured-on').textContent).toContain('Not measured: too few clips to hold any out.');
  });
});

describe('TrainView without a run in this session (issue 18)', () => {
  it('shows the latest version after a reload instead of "No training run yet"', async () => {
    const api = (await import('../../src-renderer/lib/api-client')).api as unknown as { call: ReturnType<typeof vi.fn> };
    const v1 = version(CLASSES, metrics({ cv: { scheme: 'k-fold', folds: 5, accuracy: 0.612, uar: 0.598, clips: 57 } }));
    const list = { versions: [{ ...v1, id: 1, parentId: null, active: false }, { ...v1, id: 3, parentId: 1, name: 'second', active: true }], activeId: 3 };
    api.call.mockImplementation(async (method: string) => (method === 'models.list' ? list : null));
    render(TrainView, { props: { run: null, ontrain: () => {}, onmodels: () => {} } });
    await waitFor(() => expect(screen.getByTestId('train-latest')).toBeTruthy());
    expect(screen.getByTestId('train-latest').textContent).toContain('version #3 “second”');
    expect(screen.getByTestId('train-latest-metrics').textContent).toContain('61.2 %');
    expect(screen.queryByText('No training run yet')).toBeNull();
  });

  it('says a cancelled run was cancelled, also in the chart', async () => {
    render(TrainView, { props: { run: { ...run('train'), state: 'cancelled', versionId: null }, ontrain: () => {}, onmodels: () => {} } });
    expect(screen.getByTestId('train-cancelled').textContent).toContain('Cancelled');
    await waitFor(() => expect(screen.getByTestId('chart-empty').textContent).toContain('Cancelled before the first epoch'));
  });
});
