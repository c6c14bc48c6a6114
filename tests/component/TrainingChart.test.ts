import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCurveTraces } from '../../src-renderer/lib/train-curves';

// jsdom has no canvas/WebGL: replace plotly (loaded by a dynamic import) with spies.
const plotly = vi.hoisted(() => ({
  react: vi.fn(async (el: HTMLElement, _data: unknown[], _layout: unknown, _config?: unknown) => el),
  purge: vi.fn((_el: HTMLElement) => {}),
}));
vi.mock('plotly.js-dist-min', () => ({ default: plotly }));

import TrainingChart from '../../src-renderer/components/TrainingChart.svelte';

afterEach(() => {
  cleanup();
  plotly.react.mockClear();
  plotly.purge.mockClear();
});

const epochs = [
  { epoch: 1, loss: 1.2, accuracy: 0.4 },
  { epoch: 2, loss: 0.8, accuracy: 0.65 },
];

describe('TrainingChart', () => {
  it('draws the curves with plotly, says the last epoch in words, and purges on unmount', async () => {
    const { unmount } = render(TrainingChart, { props: { epochs, totalEpochs: 60 } });
    await waitFor(() => expect(plotly.react).toHaveBeenCalled());
    const [, traces, layout] = plotly.react.mock.calls.at(-1)! as [HTMLElement, unknown[], { xaxis: { range: number[] } }];
    // Colours come from the page's CSS variables; the data is buildCurveTraces's.
    const strip = (ts: unknown[]) => (ts as { name: string; x: number[]; y: number[]; yaxis: string }[]).map(({ name, x, y, yaxis }) => ({ name, x, y, yaxis }));
    expect(strip(traces)).toEqual(strip(buildCurveTraces(epochs)));
    expect(layout.xaxis.range).toEqual([0, 60]);
    await waitFor(() => expect(screen.getByTestId('training-chart').dataset.status).toBe('ready'));
    expect(screen.getByTestId('epoch-readout').textContent).toContain('Epoch 2 of 60 · loss 0.8000 · training accuracy 65.0 %');
    unmount();
    expect(plotly.purge).toHaveBeenCalledTimes(1);
  });

  it('waits for the first epoch', async () => {
    render(TrainingChart, { props: { epochs: [] } });
    await waitFor(() => expect(screen.getByTestId('training-chart').dataset.status).toBe('ready'));
    expect(screen.getByText('Waiting for the first epoch…')).toBeTruthy();
    expect(screen.getByTestId('epoch-readout').textContent).toContain('No epoch yet.');
  });
});

describe('TrainingChart fits and endings (issue 18)', () => {
  const phases = [
    { name: 'training the detection head', total: 150, epochs: [{ epoch: 1, loss: 0.9, accuracy: 0.5 }, { epoch: 150, loss: 0.4, accuracy: 0.8 }] },
    { name: 'training the label head', total: 150, epochs: [{ epoch: 1, loss: 0.5, accuracy: 0.6 }, { epoch: 150, loss: 0.0141, accuracy: 1 }] },
  ];

  it('draws each head on its own over 150 epochs and says each in the caption', async () => {
    render(TrainingChart, { props: { phases, runState: 'done' } });
    await waitFor(() => expect(plotly.react).toHaveBeenCalled());
    const [, traces, layout] = plotly.react.mock.calls.at(-1)! as [HTMLElement, { name: string; x: number[] }[], { xaxis: { range: number[] } }];
    expect(traces.map((t) => t.name)).toEqual(['Loss · Detection head', 'Accuracy · Detection head', 'Loss · Label head', 'Accuracy · Label head']);
    expect(layout.xaxis.range).toEqual([0, 150]);
    const caption = screen.getByTestId('epoch-readout').textContent!;
    expect(caption).toContain('Detection head: epoch 150 of 150 · loss 0.4000');
    expect(caption).toContain('Label head: epoch 150 of 150 · loss 0.0141');
    expect(caption).not.toContain('of 300');
  });

  it('says a cancelled run was cancelled rather than waiting for the first epoch', async () => {
    render(TrainingChart, { props: { phases: [], runState: 'cancelled' } });
    await waitFor(() => expect(screen.getByTestId('training-chart').dataset.status).toBe('ready'));
    expect(screen.queryByText('Waiting for the first epoch…')).toBeNull();
    expect(screen.getByTestId('chart-empty').textContent).toContain('Cancelled before the first epoch');
    expect(screen.getByTestId('epoch-readout').textContent).toContain('cancelled');
  });
});
