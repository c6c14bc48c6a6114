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
