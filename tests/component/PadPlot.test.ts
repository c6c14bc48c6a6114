import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Pad } from '../../shared/domain';
import { EODN_TABLE1 } from '../../shared/pad-tables';
import { buildPadTraces } from '../../src-renderer/lib/pad-traces';

// jsdom has no WebGL: replace plotly (loaded by a dynamic import) with spies.
const plotly = vi.hoisted(() => ({
  react: vi.fn(async (el: HTMLElement, _data: unknown[], _layout: unknown, _config?: unknown) => el),
  purge: vi.fn((_el: HTMLElement) => {}),
}));
vi.mock('plotly.js-dist-min', () => ({ default: plotly }));

import PadPlot from '../../src-renderer/components/PadPlot.svelte';

afterEach(() => {
  cleanup();
  plotly.react.mockClear();
  plotly.purge.mockClear();
});

const knownClasses = [
  { name: 'anger', pad: [-1.98, 1.1, 0.6] as Pad },
  { name: 'happiness', pad: [2.77, 1.21, 1.42] as Pad },
];
const point: Pad = [-1.1, 0.8, 0.4];
const nearest = [
  { name: 'Disgusted', distance: 0.86 },
  { name: 'Anxiety', distance: 1.2 },
];

describe('PadPlot', () => {
  it('calls Plotly.react with the traces buildPadTraces makes, then purges on unmount', async () => {
    const props = { table: [...EODN_TABLE1], knownClasses, point, nearest };
    const { unmount } = render(PadPlot, { props });
    await waitFor(() => expect(plotly.react).toHaveBeenCalled());
    const [el, traces, layout, config] = plotly.react.mock.calls.at(-1)! as [HTMLElement, unknown[], Record<string, unknown>, Record<string, unknown>];
    expect(el).toBeInstanceOf(HTMLElement);
    expect(traces).toEqual(buildPadTraces(props));
    expect(traces).toHaveLength(2 + nearest.length + 1);
    expect((layout.scene as Record<string, unknown>).xaxis).toBeTruthy();
    expect(config.displaylogo).toBe(false);
    await waitFor(() => expect(screen.getByTestId('pad-plot').dataset.status).toBe('ready'));
    unmount();
    expect(plotly.purge).toHaveBeenCalledWith(el);
  });

  it('says the point and its nearest words in text', async () => {
    render(PadPlot, { props: { table: [...EODN_TABLE1], knownClasses, point, nearest } });
    const fig = screen.getByTestId('pad-plot');
    expect(fig.textContent).toContain('pleasure -1.10, arousal 0.80, dominance 0.40');
    expect(fig.textContent).toContain('Disgusted 0.86');
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('pleasure -1.10');
    await waitFor(() => expect(plotly.react).toHaveBeenCalled());
  });

  it('redraws when the clip changes', async () => {
    const { rerender } = render(PadPlot, { props: { table: [...EODN_TABLE1], knownClasses, point, nearest } });
    await waitFor(() => expect(plotly.react).toHaveBeenCalledTimes(1));
    const next: Pad = [2, 1, 1];
    await rerender({ point: next, nearest: [{ name: 'Happy', distance: 0.93 }] });
    await waitFor(() => expect(plotly.react).toHaveBeenCalledTimes(2));
    const traces = plotly.react.mock.calls[1][1] as unknown as { meta: string; x: number[] }[];
    expect(traces.map((t) => t.meta)).toEqual(['table', 'known', 'nearest', 'point']);
    expect(traces[3].x).toEqual([2]);
  });

  it('names a cluster mean as told and says how many dots are highlighted', async () => {
    const cloud = [{ pad: [-1, 1, 0] as Pad, label: 'cluster 1' }, { pad: [-1.2, 0.8, 0.1] as Pad, label: 'cluster 2', highlight: true }];
    render(PadPlot, { props: { table: [...EODN_TABLE1], knownClasses, point, nearest, cloud, pointName: 'Cluster 2 mean f', highlightName: 'Cluster 2' } });
    const fig = screen.getByTestId('pad-plot');
    expect(fig.textContent).toContain('Cluster 2 mean f: pleasure -1.10');
    expect(fig.textContent).not.toContain('This clip');
    expect(fig.textContent).toContain('Cluster 2 (1) larger and brighter');
    await waitFor(() => expect(plotly.react).toHaveBeenCalled());
    const traces = plotly.react.mock.calls.at(-1)![1] as unknown as { meta: string; name: string }[];
    expect(traces.map((t) => t.meta)).toEqual(['table', 'known', 'cloud', 'highlight', 'nearest', 'nearest', 'point']);
    expect(traces.at(-1)!.name).toContain('Cluster 2 mean f');
  });

  it('moves the legend below the plot when the container is narrow', async () => {
    // jsdom lays nothing out: a ResizeObserver stand-in reports the width a real browser would.
    let report: ((w: number) => void) | null = null;
    class FakeResizeObserver {
      constructor(private cb: ResizeObserverCallback) {}
      observe() {
        report = (w) => this.cb([{ contentRect: { width: w } } as ResizeObserverEntry], this as unknown as ResizeObserver);
      }
      disconnect() {}
      unobserve() {}
    }
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    try {
      render(PadPlot, { props: { table: [...EODN_TABLE1], knownClasses, point, nearest } });
      await waitFor(() => expect(plotly.react).toHaveBeenCalled());
      const fig = screen.getByTestId('pad-plot');
      expect(fig.dataset.legend).toBe('right');
      report!(420);
      await waitFor(() => expect(fig.dataset.legend).toBe('below'));
      await waitFor(() => expect((plotly.react.mock.calls.at(-1)![2] as { legend: { orientation?: string } }).legend.orientation).toBe('h'));
      report!(900);
      await waitFor(() => expect(fig.dataset.legend).toBe('right'));
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
